package io.latentflow.engine.sampling;

/** Argmax, lowest id on ties, so greedy decoding is exactly reproducible. NaN never wins. */
public final class Greedy implements Sampler {
    public static final Greedy INSTANCE = new Greedy();

    /**
     * Whether this JVM has the Vector API. Without it (the scalar and CUDA backends need no
     * {@code --add-modules jdk.incubator.vector}) argmax stays scalar and {@link VectorArgmax} is
     * never loaded.
     */
    private static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    @Override
    public int sample(float[] logits, int off, int n) {
        return argmax(logits, off, n);
    }

    /** Index i of the largest of {@code logits[off + i]}, i < n; 0 when none is a number. */
    public static int argmax(float[] logits, int off, int n) {
        if (n <= 0 || off < 0 || off + n > logits.length) {
            throw new IllegalArgumentException("need 1 <= n and off + n <= " + logits.length + ", got off " + off
                    + ", n " + n);
        }
        return VECTOR ? VectorArgmax.argmax(logits, off, n) : scalarArgmax(logits, off, n);
    }

    static int scalarArgmax(float[] logits, int off, int n) {
        int best = 0;
        float bestValue = Float.NEGATIVE_INFINITY;
        boolean found = false;
        for (int i = 0; i < n; i++) {
            float v = logits[off + i];
            if (v > bestValue || (!found && v == bestValue)) {
                best = i;
                bestValue = v;
                found = true;
            }
        }
        return best;
    }
}
