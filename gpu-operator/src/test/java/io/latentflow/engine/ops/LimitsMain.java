package io.latentflow.engine.ops;

import io.latentflow.engine.tensor.DType;

/** Prints this machine's limits as the bench measures them: {@code LimitsMain [threads [n]]}. */
public final class LimitsMain {
    private LimitsMain() {
    }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 2048;
        boolean gemmOnly = Boolean.getBoolean("gemmOnly");
        if (!gemmOnly) {
            System.out.printf("peak %.1f GFLOP/s, read %.1f GB/s%n", HardwareLimits.peakGflops(threads),
                    HardwareLimits.readGBs(threads));
        }
        try (VectorOps ops = new VectorOps(threads)) {
            for (int i = 0; i < 3; i++) {
                System.out.printf("gemm %d^3 f32 %.1f, bf16 %.1f GFLOP/s%n", n, HardwareLimits.gemmGflops(ops, DType.F32, n),
                        HardwareLimits.gemmGflops(ops, DType.BF16, n));
            }
        }
    }
}
