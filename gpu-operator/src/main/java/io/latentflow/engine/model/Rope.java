package io.latentflow.engine.model;

import io.latentflow.engine.checkpoint.ModelConfig;
import io.latentflow.engine.checkpoint.RopeScaling;

/**
 * Rotary position embedding of the rope slices of queries and the shared rope key, with YaRN
 * frequency interpolation and its cos/sin magnitude scale (Hugging Face {@code _compute_yarn_parameters}).
 */
final class Rope {
    private final int dim;
    private final boolean interleave;
    /** (dim / 2) rotation frequency of pair i. */
    private final double[] invFreq;
    /** YaRN multiplies cos and sin by get_mscale(s, mscale) / get_mscale(s, mscale_all_dim). */
    private final double magnitude;
    /**
     * cos and sin of every pair at positions [0, cached), times magnitude: (positions, dim / 2) each.
     * Filled on first use of a position and grown by doubling, so a step rotates its 9+ slices per
     * token (every query head and the key) with table lookups instead of 2·dim/2 trigonometric calls
     * per slice; a long context pays only for the positions it reaches.
     */
    private double[] cos = new double[0];
    private double[] sin = new double[0];
    private int cached;

    Rope(ModelConfig c) {
        this.dim = c.qkRopeHeadDim();
        this.interleave = c.ropeInterleave();
        this.invFreq = new double[dim / 2];
        double base = c.ropeTheta();
        RopeScaling y = c.ropeScaling();
        double[] low = new double[1];
        double[] high = new double[1];
        if (y != null) {
            correctionRange(y.betaFast(), y.betaSlow(), dim, base, y.originalMaxPositionEmbeddings(), low, high);
        }
        for (int i = 0; i < dim / 2; i++) {
            double extrapolation = 1.0 / Math.pow(base, 2.0 * i / dim);
            if (y == null) {
                invFreq[i] = extrapolation;
            } else {
                double interpolation = extrapolation / y.factor();
                // ramp is 0 below `low` (high frequency: keep extrapolation), 1 above `high` (interpolate)
                double lo = low[0];
                double hi = high[0] == lo ? high[0] + 0.001 : high[0];
                double ramp = Math.min(1, Math.max(0, (i - lo) / (hi - lo)));
                double extrapolationWeight = 1 - ramp;
                invFreq[i] = interpolation * (1 - extrapolationWeight) + extrapolation * extrapolationWeight;
            }
        }
        this.magnitude = y == null ? 1.0
                : RopeScaling.getMscale(y.factor(), y.mscale()) / RopeScaling.getMscale(y.factor(), y.mscaleAllDim());
    }

    /** The attention softmax scale: (nope + rope)^-0.5, times get_mscale(s, mscale_all_dim)² under YaRN. */
    static float softmaxScale(ModelConfig c) {
        double scale = 1.0 / Math.sqrt(c.qkHeadDim());
        RopeScaling y = c.ropeScaling();
        if (y != null) {
            double m = RopeScaling.getMscale(y.factor(), y.mscaleAllDim());
            scale *= m * m;
        }
        return (float) scale;
    }

    private static double correctionDim(double rotations, int dim, double base, int originalMax) {
        return dim * Math.log(originalMax / (rotations * 2 * Math.PI)) / (2 * Math.log(base));
    }

    private static void correctionRange(double betaFast, double betaSlow, int dim, double base, int originalMax,
                                        double[] low, double[] high) {
        low[0] = Math.max(Math.floor(correctionDim(betaFast, dim, base, originalMax)), 0);
        high[0] = Math.min(Math.ceil(correctionDim(betaSlow, dim, base, originalMax)), dim - 1);
    }

    /** Rotates x[off .. off + dim) in place for position pos. Not thread-safe: the model's thread only. */
    void apply(float[] x, int off, int pos) {
        int half = dim / 2;
        if (pos >= cached) {
            grow(pos + 1);
        }
        int t = pos * half;
        for (int i = 0; i < half; i++) {
            double cos = this.cos[t + i];
            double sin = this.sin[t + i];
            int a = interleave ? off + 2 * i : off + i;
            int b = interleave ? a + 1 : a + half;
            double xa = x[a];
            double xb = x[b];
            x[a] = (float) (xa * cos - xb * sin);
            x[b] = (float) (xb * cos + xa * sin);
        }
    }

    /** Rotation frequency of pair i (tests). */
    double invFreq(int i) {
        return invFreq[i];
    }

    /** The YaRN cos/sin magnitude, 1 without scaling (tests). */
    double magnitude() {
        return magnitude;
    }

    private void grow(int positions) {
        int half = dim / 2;
        int n = Math.max(positions, Math.max(64, 2 * cached));
        double[] c = java.util.Arrays.copyOf(cos, n * half);
        double[] s = java.util.Arrays.copyOf(sin, n * half);
        for (int pos = cached; pos < n; pos++) {
            for (int i = 0; i < half; i++) {
                double angle = pos * invFreq[i];
                c[pos * half + i] = Math.cos(angle) * magnitude;
                s[pos * half + i] = Math.sin(angle) * magnitude;
            }
        }
        cos = c;
        sin = s;
        cached = n;
    }
}
