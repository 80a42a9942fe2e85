package io.latentflow.engine.sampling;

/** Picks the next token from a step's logits. One instance per request: implementations may keep scratch. */
public interface Sampler {

    /** A token id in [0, n), from the first n entries of logits (the rest may be padding). */
    int sample(float[] logits, int n);
}
