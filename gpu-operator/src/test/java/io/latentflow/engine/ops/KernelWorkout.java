package io.latentflow.engine.ops;

import io.latentflow.engine.tensor.DType;
import io.latentflow.engine.tensor.Weight;

/**
 * Runs every matmul kernel (float32, BF16 and int8 panels; streaming and staged token blocks; 1 to
 * 48 token rows; panels in and out of groups of four) and the attention row kernels often enough
 * for the JIT to compile them: the driver of {@link KernelsCompileAtTier3Test}'s child JVM.
 */
public final class KernelWorkout {
    private KernelWorkout() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 12;
        int cols = 128;
        int[] batches = {1, 2, 3, 4, 5, 6, 7, 8, 12, 32, 48};
        int maxRows = 4 * PanelGemm.NB;
        float[] x = VectorOpsTest.randomFloats(48 * cols, 1);
        float[] y = new float[48 * maxRows];
        for (boolean int8 : new boolean[] {false, true}) {
            try (VectorOps ops = new VectorOps(1, int8)) {
                for (DType dt : new DType[] {DType.F32, DType.BF16}) {
                    // 4 panels: one group of four side by side; 3 panels: one by one
                    for (int rows : new int[] {maxRows, 3 * PanelGemm.NB}) {
                        Weight w = ops.prepare(VectorOpsTest.random(dt, rows, cols, rows + cols, true));
                        for (int r = 0; r < rounds; r++) {
                            for (int b : batches) {
                                ops.matmul(w, x, 0, cols, y, 0, rows, b);
                            }
                        }
                    }
                }
                float[] scores = new float[8 * 64];
                float[] out = new float[8 * cols];
                for (int r = 0; r < rounds * 4; r++) {
                    ops.rowProducts(x, 0, cols, 32, cols, y, 0, cols, scores, 0, 32, 8);
                    ops.softmax(scores, 0, 32, 0.1f);
                    ops.addWeightedRows(scores, 0, 32, x, 0, cols, 32, cols, out, 0, cols, 8);
                }
            }
        }
        // on stderr: -XX:+PrintCompilation writes to stdout from the compiler threads, mid-line
        System.err.println("workout done");
    }
}
