package io.latentflow.engine.checkpoint;

/**
 * YaRN rope scaling from {@code config.json}'s {@code rope_scaling} (type "yarn"), as in Hugging Face
 * {@code _compute_yarn_parameters}.
 *
 * @param factor                        context extension factor s
 * @param originalMaxPositionEmbeddings context length the model was pre-trained on
 * @param betaFast                      rotations where interpolation ramps off (high frequencies)
 * @param betaSlow                      rotations where interpolation ramps on (low frequencies)
 * @param mscale                        attention temperature numerator coefficient
 * @param mscaleAllDim                  attention temperature denominator coefficient
 */
public record RopeScaling(double factor, int originalMaxPositionEmbeddings, double betaFast, double betaSlow,
                          double mscale, double mscaleAllDim) {

    /** {@code get_mscale(s, m) = 1 if s <= 1 else 0.1·m·ln(s) + 1}. */
    public static double getMscale(double scale, double m) {
        return scale <= 1 ? 1.0 : 0.1 * m * Math.log(scale) + 1.0;
    }
}
