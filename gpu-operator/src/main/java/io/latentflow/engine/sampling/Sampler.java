package io.latentflow.engine.sampling;

/** Picks the next token from logits[0 .. n). */
public interface Sampler {
    int sample(float[] logits, int n);
}
