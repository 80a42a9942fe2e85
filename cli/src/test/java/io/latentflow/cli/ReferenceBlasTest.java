package io.latentflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bench's OpenBLAS reference computes the engine's product ({@code y = x · wᵀ}, row-major), so its
 * GFLOP/s are for the same work as {@code gemm_gflops}. Natives are bundled for linux-x86_64 only.
 */
class ReferenceBlasTest {

    @BeforeAll
    static void bundledPlatform() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux")
                && System.getProperty("os.arch").matches("amd64|x86_64"), "OpenBLAS natives bundled for linux-x86_64");
    }

    @Test
    void multipliesRowsByTheTransposedWeight() {
        int m = 5;
        int n = 7;
        int k = 33;
        Random rnd = new Random(3);
        float[] x = new float[m * k];
        float[] w = new float[n * k];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rnd.nextGaussian();
        }
        for (int threads : new int[] {1, 2}) {
            float[] y = ReferenceBlas.multiply(x, w, m, n, k, threads);
            for (int b = 0; b < m; b++) {
                for (int r = 0; r < n; r++) {
                    double want = 0;
                    for (int i = 0; i < k; i++) {
                        want += (double) x[b * k + i] * w[r * k + i];
                    }
                    assertEquals(want, y[b * n + r], 1e-4, "y[" + b + "][" + r + "], " + threads + " threads");
                }
            }
        }
    }

    @Test
    void measuresARateWhereTheLibraryLoads() {
        ReferenceBlas.Measured m = ReferenceBlas.sgemmGflops(1, 256);
        assertNull(m.unavailable());
        assertTrue(m.gflops() > 0 && Double.isFinite(m.gflops()), "GFLOP/s: " + m.gflops());
    }
}
