package io.latentflow.engine;

import io.latentflow.engine.model.Chunk;
import io.latentflow.engine.model.LatentKvCache;
import io.latentflow.engine.model.Sequence;
import io.latentflow.engine.sampling.Sampler;
import io.latentflow.engine.sampling.Samplers;
import io.latentflow.engine.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.List;

/** Prefill, then one decode step per generated token until a stop condition. */
final class GenerateWork extends Work {
    private final SamplingParams params;
    private final Sampler sampler;
    private final int[] stopIds;        // request's stop ids plus the model's EOS
    private final Tokenizer tokenizer;  // null without tokenizer.json
    private final int capacity;         // cache positions: prompt + max_new - 1, at most max_position_embeddings
    private final int[] generated;
    private int count;
    private Sequence seq;

    GenerateWork(String id, int[] prompt, SamplingParams params, int eosId, Tokenizer tokenizer, int maxPositions) {
        super(id, prompt);
        this.params = params;
        this.sampler = Samplers.of(params.temperature(), params.topK(), params.topP(), params.seed());
        this.stopIds = eosId >= 0 ? append(params.stopTokenIds(), eosId) : params.stopTokenIds();
        this.tokenizer = tokenizer;
        this.capacity = Math.min(prompt.length + params.maxNewTokens() - 1, maxPositions);
        this.generated = new int[params.maxNewTokens()];
    }

    private static int[] append(int[] a, int v) {
        int[] out = Arrays.copyOf(a, a.length + 1);
        out[a.length] = v;
        return out;
    }

    @Override
    int cacheTokens() {
        return capacity;
    }

    @Override
    boolean tryAdmit(LatentKvCache cache) {
        seq = cache.tryAllocate(capacity);
        return seq != null;
    }

    @Override
    List<Chunk> nextChunks() {
        int[] tokens = count == 0 ? prompt : new int[] {generated[count - 1]};
        return List.of(new Chunk(seq, tokens, false));
    }

    @Override
    void accept(float[] logits, int firstRow, int vocab) {
        int token = sampler.sample(logits, firstRow * vocab, vocab);
        for (int stop : stopIds) {
            if (token == stop) {
                finish("stop_token", null);
                return;
            }
        }
        generated[count++] = token;
        if (tokenizer != null && !params.stopStrings().isEmpty()) {
            String text = tokenizer.decode(Arrays.copyOf(generated, count));
            for (String stop : params.stopStrings()) {
                int at = text.indexOf(stop);
                if (at >= 0) {
                    finish("stop_string", text.substring(0, at));
                    return;
                }
            }
        }
        if (count == params.maxNewTokens() || seq.length() == capacity) {
            finish("length", null);
        }
    }

    private void finish(String reason, String cutText) {
        int[] tokens = Arrays.copyOf(generated, count);
        String text = cutText != null ? cutText : tokenizer != null ? tokenizer.decode(tokens) : null;
        release();
        future.complete(new InferenceResult.Generated(id, tokens, text, reason, stats(count)));
    }

    @Override
    void release() {
        if (seq != null) {
            seq.close();
        }
    }
}
