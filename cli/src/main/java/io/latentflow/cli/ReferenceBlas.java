package io.latentflow.cli;

import io.latentflow.engine.ops.HardwareLimits;
import java.util.Random;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * OpenBLAS's float32 GEMM ({@code cblas_sgemm}, the library as bundled by {@code org.bytedeco:openblas}),
 * measured in the bench's process with the engine's thread count: the reference the issue states its
 * GEMM target beside ("OpenBLAS sgemm reaches 190–200 GFLOP/s on these 2 cores"), measured in the same
 * run instead of quoted. The product is the engine's own, {@code y = x · wᵀ} with row-major x and w, so
 * the two figures are for the same work.
 */
final class ReferenceBlas {
    /** GFLOP/s, or NaN with the reason the library could not run here. */
    record Measured(double gflops, String unavailable) {
    }

    private ReferenceBlas() {
    }

    /**
     * Median GFLOP/s of an n×n×n product, timed as the Vector backend's GEMM is
     * ({@link HardwareLimits#medianGflops}); NaN, with why, where OpenBLAS cannot load.
     */
    static Measured sgemmGflops(int threads, int n) {
        try {
            setThreads(threads);
            Random rnd = new Random(1);
            float[] h = new float[n * n];
            for (int i = 0; i < h.length; i++) {
                h[i] = (float) rnd.nextGaussian();
            }
            try (FloatPointer x = new FloatPointer(h); FloatPointer w = new FloatPointer(h);
                 FloatPointer y = new FloatPointer((long) n * n)) {
                return new Measured(HardwareLimits.medianGflops(2.0 * n * n * n, () -> sgemm(x, w, y, n, n, n)), null);
            }
        } catch (LinkageError | RuntimeException e) {
            // no native build for this platform, or a library that would not load
            return new Measured(Double.NaN, e.toString());
        }
    }

    /** y = x · wᵀ for x of m×k and w of n×k, both row-major, on {@code threads} OpenBLAS threads. */
    static float[] multiply(float[] x, float[] w, int m, int n, int k, int threads) {
        setThreads(threads);
        try (FloatPointer xp = new FloatPointer(x); FloatPointer wp = new FloatPointer(w);
             FloatPointer yp = new FloatPointer((long) m * n)) {
            sgemm(xp, wp, yp, m, n, k);
            float[] y = new float[m * n];
            yp.get(y);
            return y;
        }
    }

    private static void setThreads(int threads) {
        org.bytedeco.openblas.presets.openblas_nolapack.blas_set_num_threads(threads);
    }

    private static void sgemm(FloatPointer x, FloatPointer w, FloatPointer y, int m, int n, int k) {
        openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasNoTrans,
                openblas_nolapack.CblasTrans, m, n, k, 1f, x, k, w, k, 0f, y, n);
    }
}
