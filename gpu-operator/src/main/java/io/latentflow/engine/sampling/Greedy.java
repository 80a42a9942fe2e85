package io.latentflow.engine.sampling;

/** Argmax, lowest id on ties, so greedy decoding is exactly reproducible. NaN never wins. */
public final class Greedy implements Sampler {
    public static final Greedy INSTANCE = new Greedy();

    @Override
    public int sample(float[] logits, int n) {
        return argmax(logits, n);
    }

    /** Index of the largest of the first n logits; 0 when none is a number. */
    public static int argmax(float[] logits, int n) {
        if (n <= 0 || n > logits.length) {
            throw new IllegalArgumentException("n must be in [1, " + logits.length + "], got " + n);
        }
        int best = 0;
        float bestValue = Float.NEGATIVE_INFINITY;
        boolean found = false;
        for (int i = 0; i < n; i++) {
            float v = logits[i];
            if (v > bestValue || (!found && v == bestValue)) {
                best = i;
                bestValue = v;
                found = true;
            }
        }
        return best;
    }
}
