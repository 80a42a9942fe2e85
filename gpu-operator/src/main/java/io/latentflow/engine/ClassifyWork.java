package io.latentflow.engine;

import io.latentflow.engine.model.Chunk;
import io.latentflow.engine.model.LatentKvCache;
import io.latentflow.engine.model.Sequence;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Label log-likelihoods in one step: the prompt is prefilled once and every label with more than
 * one token continues it as a child sequence that shares the prompt's cache rows.
 * {@code log P(label) = log_softmax(prompt's last logits)[l₀] + Σⱼ log_softmax(child row j-1)[lⱼ]}.
 */
final class ClassifyWork extends Work {
    private final List<String> names;
    private final int[][] labels;
    private Sequence promptSeq;
    private final Sequence[] children; // null for single-token labels

    ClassifyWork(String id, int[] promptIds, List<String> names, int[][] labels) {
        super(id, promptIds);
        this.names = names;
        this.labels = labels;
        this.children = new Sequence[labels.length];
    }

    @Override
    int cacheTokens() {
        int n = prompt.length;
        for (int[] l : labels) {
            n += l.length - 1;
        }
        return n;
    }

    @Override
    boolean tryAdmit(LatentKvCache cache) {
        if (cache.reservedBytes() + cacheTokens() * cache.bytesPerToken() > cache.budgetBytes()) {
            return false;
        }
        promptSeq = cache.tryAllocate(prompt.length);
        for (int i = 0; i < labels.length; i++) {
            if (labels[i].length > 1) {
                children[i] = cache.tryAllocateChild(promptSeq, prompt.length, labels[i].length - 1);
            }
        }
        return true;
    }

    @Override
    List<Chunk> nextChunks() {
        List<Chunk> chunks = new ArrayList<>();
        chunks.add(new Chunk(promptSeq, prompt, false));
        for (int i = 0; i < labels.length; i++) {
            if (children[i] != null) {
                chunks.add(new Chunk(children[i], Arrays.copyOf(labels[i], labels[i].length - 1), true));
            }
        }
        return chunks;
    }

    @Override
    void accept(float[] logits, int firstRow, int vocab) {
        double[] ll = new double[labels.length];
        double first = logSumExp(logits, firstRow * vocab, vocab);
        int row = firstRow + 1;
        int scored = 0;
        for (int i = 0; i < labels.length; i++) {
            ll[i] = logits[firstRow * vocab + labels[i][0]] - first;
            for (int j = 1; j < labels[i].length; j++, row++) {
                ll[i] += logits[row * vocab + labels[i][j]] - logSumExp(logits, row * vocab, vocab);
            }
            scored += labels[i].length;
        }
        double max = Arrays.stream(ll).max().orElseThrow();
        double[] p = new double[ll.length];
        double sum = 0;
        int best = 0;
        for (int i = 0; i < ll.length; i++) {
            p[i] = Math.exp(ll[i] - max);
            sum += p[i];
            if (ll[i] > ll[best]) {
                best = i;
            }
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        release();
        future.complete(new InferenceResult.Classified(id, names, ll, p, names.get(best), stats(scored)));
    }

    private static double logSumExp(float[] x, int off, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, x[off + i]);
        }
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += Math.exp(x[off + i] - max);
        }
        return max + Math.log(s);
    }

    @Override
    void release() {
        for (Sequence c : children) {
            if (c != null) {
                c.close();
            }
        }
        if (promptSeq != null) {
            promptSeq.close();
        }
    }
}
