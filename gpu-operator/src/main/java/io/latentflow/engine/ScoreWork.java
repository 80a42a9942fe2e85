package io.latentflow.engine;

import io.latentflow.engine.model.Chunk;
import io.latentflow.engine.model.LatentKvCache;
import io.latentflow.engine.model.Sequence;
import java.util.List;

/** Logits after every prefix of a prompt: one prefill step, nothing sampled. */
final class ScoreWork extends Work {
    private Sequence seq;

    ScoreWork(String id, int[] prompt) {
        super(id, prompt);
    }

    @Override
    int cacheTokens() {
        return prompt.length;
    }

    @Override
    boolean tryAdmit(LatentKvCache cache) {
        seq = cache.tryAllocate(prompt.length);
        return seq != null;
    }

    @Override
    List<Chunk> nextChunks() {
        return List.of(new Chunk(seq, prompt, true));
    }

    @Override
    void accept(float[] logits, int firstRow, int vocab) {
        float[][] out = new float[prompt.length][vocab];
        for (int i = 0; i < prompt.length; i++) {
            System.arraycopy(logits, (firstRow + i) * vocab, out[i], 0, vocab);
        }
        release();
        future.complete(out);
    }

    @Override
    void release() {
        if (seq != null) {
            seq.close();
        }
    }
}
