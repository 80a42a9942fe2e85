package io.latentflow.engine.sampling;

/** Picks the next token from a step's logits. One instance per request: implementations may keep scratch. */
public interface Sampler {

    /**
     * A token id in [0, n), from the n logits at {@code logits[off .. off + n)}: one row of a step's
     * (rows, vocab) logits, read in place (a copy of each 128 KB row cost more than the argmax).
     */
    int sample(float[] logits, int off, int n);

    /** {@link #sample(float[], int, int)} of the first n entries. */
    default int sample(float[] logits, int n) {
        return sample(logits, 0, n);
    }
}
