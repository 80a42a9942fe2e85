package io.latentflow.engine.init;

/**
 * One tensor of a generated checkpoint: its Hugging Face name, nn.Linear-style shape (out, in) and how
 * it is initialised. Listing specs apart from writing lets tests and tools count parameters of a preset
 * without generating gigabytes.
 *
 * @param name  Hugging Face tensor name
 * @param shape dimensions, outermost first
 * @param init  initialisation
 */
public record TensorSpec(String name, long[] shape, Init init) {

    /** How a tensor is filled. */
    public enum Init {
        /** Weights: approximately normal(0, 0.02). */
        NORMAL,
        /** RMSNorm weights: 1.0. */
        ONES,
        /** e_score_correction_bias: approximately normal(0, 0.01). */
        BIAS
    }

    public long numel() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }
}
