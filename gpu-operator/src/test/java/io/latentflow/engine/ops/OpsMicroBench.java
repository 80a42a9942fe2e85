package io.latentflow.engine.ops;

import io.latentflow.engine.tensor.DType;
import io.latentflow.engine.tensor.Weight;

/**
 * Rough matmul throughput, not a JMH benchmark: {@code OpsMicroBench [rows cols threads]}.
 * Prints GFLOP/s (2·rows·cols·batch per call) for each dtype at batch 1 and 32.
 */
public final class OpsMicroBench {
    private OpsMicroBench() {
    }

    public static void main(String[] args) {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 4096;
        int cols = args.length > 1 ? Integer.parseInt(args[1]) : 1024;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        try (VectorOps ops = new VectorOps(threads)) {
            System.out.println(ops.name() + ", matrix " + rows + "x" + cols);
            boolean packedOnly = Boolean.getBoolean("packedOnly");
            for (DType dt : DType.values()) {
              for (boolean packed : new boolean[] {false, true}) {
                if (packed ? !PanelGemm.packable(dt) : packedOnly) {
                    continue;
                }
                Weight w0 = VectorOpsTest.random(dt, rows, cols, 1, true);
                Weight w = packed ? ops.prepare(w0) : w0;
                for (int batch : new int[] {1, 8, 32, 128}) {
                    float[] x = VectorOpsTest.randomFloats(batch * cols, 2);
                    float[] y = new float[batch * rows];
                    double flop = 2.0 * rows * cols * batch;
                    int iters = (int) Math.max(5, 2e10 / flop / 10);
                    for (int i = 0; i < iters; i++) { // warm-up
                        ops.matmul(w, x, 0, cols, y, 0, rows, batch);
                    }
                    double best = Double.MAX_VALUE;
                    for (int rep = 0; rep < 5; rep++) {
                        long t0 = System.nanoTime();
                        for (int i = 0; i < iters; i++) {
                            ops.matmul(w, x, 0, cols, y, 0, rows, batch);
                        }
                        best = Math.min(best, (System.nanoTime() - t0) / 1e9 / iters);
                    }
                    System.out.printf((packed ? "packed " : "") + "%-8s batch %2d: %8.1f GFLOP/s  (%.3f ms/call, weight %.1f GB/s)%n", dt, batch,
                            flop / best / 1e9, best * 1e3, (double) rows * cols * dt.bytes / best / 1e9);
                }
              }
            }
        }
    }
}
