package io.latentflow.engine.ops;

import io.latentflow.engine.tensor.DType;
import io.latentflow.engine.tensor.Weight;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * This machine's limits, measured in-process with the same thread count as the engine, so that
 * benchmark figures can be stated as ratios to them:
 * <ul>
 *   <li>{@link #peakGflops}: float32 FMA throughput of {@link VectorOps#F} vectors, 12 independent
 *   accumulator chains per thread (enough to cover FMA latency × 2 ports), no memory traffic;</li>
 *   <li>{@link #readGBs}: streaming read bandwidth, each thread summing its own 512 MiB off-heap
 *   buffer (far larger than its caches) with vector loads, 1 MiB block after block, each block as
 *   four interleaved streams;</li>
 *   <li>{@link #gemmGflops}: the Vector backend's matmul on a packed n×n weight and n token rows;</li>
 *   <li>{@link #stallShare}: the share of the time a busy thread does not run at all.</li>
 * </ul>
 * Each figure but the stall share (one pass) is the median of several timed passes after a warm-up
 * pass.
 */
public final class HardwareLimits {
    private static final int PASSES = 5;

    private HardwareLimits() {
    }

    /** Median float32 GFLOP/s of {@code threads} threads running only vector FMAs. */
    public static double peakGflops(int threads) {
        long iters = 20_000_000;
        double[] rates = new double[PASSES];
        for (int pass = -1; pass < PASSES; pass++) {
            long t = parallel(threads, () -> fmaLoop(iters));
            if (pass >= 0) {
                rates[pass] = (double) threads * iters * 12 * 2 * VectorOps.FL / t;
            }
        }
        return median(rates);
    }

    private static volatile float sink;

    /**
     * Each chain is {@code c = m · a + c}: the accumulator is the addend, as in a GEMM kernel, so the
     * multiply-add overwrites it in place. The form {@code c = c · m + a} made C2 copy the constant
     * addend before every multiply-add (x86's FMA overwrites its addend), and with AVX2's 16 vector
     * registers the 12 chains then spilled to the stack: it measured 52–65 GFLOP/s a thread on a
     * core that runs 90 (two 256-bit FMAs a cycle at 2.85 GHz), below what OpenBLAS's sgemm reached.
     */
    private static void fmaLoop(long iters) {
        var f = VectorOps.F;
        FloatVector m = FloatVector.broadcast(f, 0.999999f);
        FloatVector a = FloatVector.broadcast(f, 1e-7f);
        // distinct starting values: twelve identical chains could be merged into one by the compiler
        FloatVector c0 = FloatVector.broadcast(f, 0f), c1 = FloatVector.broadcast(f, 1f);
        FloatVector c2 = FloatVector.broadcast(f, 2f), c3 = FloatVector.broadcast(f, 3f);
        FloatVector c4 = FloatVector.broadcast(f, 4f), c5 = FloatVector.broadcast(f, 5f);
        FloatVector c6 = FloatVector.broadcast(f, 6f), c7 = FloatVector.broadcast(f, 7f);
        FloatVector c8 = FloatVector.broadcast(f, 8f), c9 = FloatVector.broadcast(f, 9f);
        FloatVector c10 = FloatVector.broadcast(f, 10f), c11 = FloatVector.broadcast(f, 11f);
        for (long i = 0; i < iters; i++) {
            c0 = m.fma(a, c0);
            c1 = m.fma(a, c1);
            c2 = m.fma(a, c2);
            c3 = m.fma(a, c3);
            c4 = m.fma(a, c4);
            c5 = m.fma(a, c5);
            c6 = m.fma(a, c6);
            c7 = m.fma(a, c7);
            c8 = m.fma(a, c8);
            c9 = m.fma(a, c9);
            c10 = m.fma(a, c10);
            c11 = m.fma(a, c11);
        }
        sink = c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(VectorOperators.ADD);
    }

    /** Median GB/s (1e9 bytes) of {@code threads} threads each streaming through its own buffer. */
    public static double readGBs(int threads) {
        int bytes = 512 << 20;
        ByteBuffer[] bufs = new ByteBuffer[threads];
        for (int i = 0; i < threads; i++) {
            bufs[i] = ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
            for (int o = 0; o < bytes; o += 4096) {
                bufs[i].putInt(o, o); // touch every page
            }
        }
        double[] rates = new double[PASSES];
        int[] next = {0};
        for (int pass = -1; pass < PASSES; pass++) {
            long t = parallel(threads, () -> {
                ByteBuffer b;
                synchronized (next) {
                    b = bufs[next[0]++ % threads];
                }
                readLoop(b);
            });
            if (pass >= 0) {
                rates[pass] = (double) threads * bytes / t;
            }
        }
        return median(rates);
    }

    /**
     * Sums the buffer block by block, each block as four interleaved streams (its quarters): the
     * streams lie {@link PanelGemm#STREAM_SPACING} apart, as the engine's kernels stream a matrix.
     * One core keeps more misses in flight with several streams than with one. Streams a quarter of
     * the whole buffer apart (128 MiB) measured 10–12 GB/s on two threads of an AMD EPYC (Zen 3),
     * where streams 256 KiB to 16 MiB apart measured 17–21 in the same process, about what batch-1
     * decode streams there: addresses that differ only in such a high power-of-two bit collide in
     * the memory system.
     */
    private static void readLoop(ByteBuffer b) {
        int quarter = PanelGemm.STREAM_SPACING;
        int bytes = b.capacity();
        int sum = 0;
        for (int base = 0; base + 4 * quarter <= bytes; base += 4 * quarter) {
            sum += readBlock(b, base, quarter);
        }
        sink = sum;
    }

    /**
     * The sum of the block at base as four streams quarter bytes apart. A method of its own, called
     * once per block: compiled as a whole, not only on-stack-replaced inside one long call.
     */
    private static int readBlock(ByteBuffer b, int base, int quarter) {
        var s = VectorOps.I;
        int step = s.length() * 4;
        IntVector a0 = IntVector.zero(s), a1 = a0, a2 = a0, a3 = a0;
        for (int o = base; o + step <= base + quarter; o += step) {
            a0 = a0.add(IntVector.fromByteBuffer(s, b, o, ByteOrder.LITTLE_ENDIAN));
            a1 = a1.add(IntVector.fromByteBuffer(s, b, quarter + o, ByteOrder.LITTLE_ENDIAN));
            a2 = a2.add(IntVector.fromByteBuffer(s, b, 2 * quarter + o, ByteOrder.LITTLE_ENDIAN));
            a3 = a3.add(IntVector.fromByteBuffer(s, b, 3 * quarter + o, ByteOrder.LITTLE_ENDIAN));
        }
        return a0.add(a1).add(a2).add(a3).reduceLanes(VectorOperators.ADD);
    }

    /** Gaps between two reads of the clock longer than this count as time the thread did not run. */
    static final long STALL_GAP_NANOS = 10_000;

    /**
     * Share of {@code millis} that {@code threads} busy threads spent not running, averaged over the
     * threads: each reads the clock in a tight loop and sums the gaps longer than
     * {@value #STALL_GAP_NANOS} ns. On a shared virtual machine the host takes the virtual CPUs away
     * without the guest seeing it as steal time (here 2-5% of each thread's time, in gaps of 10 µs
     * to over 1 ms, several hundred a second). Every parallel phase of a step waits for its
     * slowest thread, so this share is lost to the engine too, and it varies from minute to minute.
     */
    public static double stallShare(int threads, int millis) {
        long span = millis * 1_000_000L;
        double[] shares = new double[threads];
        int[] next = {0};
        parallel(threads, () -> {
            int id;
            synchronized (next) {
                id = next[0]++;
            }
            long t0 = System.nanoTime();
            long last = t0;
            long stalled = 0;
            for (long t = t0; t - t0 < span; t = System.nanoTime()) {
                stalled += stalledNanos(last, t);
                last = t;
            }
            shares[id] = (double) stalled / (last - t0);
        });
        return Arrays.stream(shares).average().orElse(0);
    }

    /** The part of the gap from one clock read to the next that counts as stalled: all of it or none. */
    static long stalledNanos(long previous, long now) {
        long gap = now - previous;
        return gap > STALL_GAP_NANOS ? gap : 0;
    }

    /**
     * The kernel's transparent huge page mode ("always", "madvise", "never" or "unknown"): packed
     * weights get huge pages only under "always" ({@link PackedArena}).
     */
    public static String transparentHugePages() {
        return PackedArena.hugePageMode();
    }

    /** Median GFLOP/s of {@code ops.matmul} for an n×n weight of dtype (packed by prepare) and n rows. */
    public static double gemmGflops(VectorOps ops, DType dtype, int n) {
        Random rnd = new Random(1);
        ByteBuffer bb = ByteBuffer.allocateDirect(n * n * dtype.bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n * n; i++) {
            float v = (float) rnd.nextGaussian();
            if (dtype == DType.F32) {
                bb.putFloat(4 * i, v);
            } else {
                bb.putShort(2 * i, (short) (Float.floatToRawIntBits(v) >>> 16));
            }
        }
        Weight w = ops.prepare(new Weight("gemm", dtype, n, n, bb, null));
        float[] x = new float[n * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        float[] y = new float[n * n];
        return medianGflops(2.0 * n * n * n, () -> ops.matmul(w, x, 0, n, y, 0, n, n));
    }

    /** Warm-up of {@link #medianGflops}: at least this long, and at least two passes. */
    private static final long WARMUP_NANOS = 3_000_000_000L;

    /**
     * Median GFLOP/s of {@code pass}, {@code flops} each run, over the timed passes after a warm-up of
     * at least two passes and {@value #WARMUP_NANOS} ns. The kernels of a format the process has not
     * run yet get compiled (and code compiled on another format's profile recompiled) while the first
     * passes run, on the cores they measure: after a BF16 model's decode, the float32 GEMM measured
     * 48–53 GFLOP/s with two warm-up passes and 66–70 once warm.
     */
    public static double medianGflops(double flops, Runnable pass) {
        long warmStart = System.nanoTime();
        for (int i = 0; i < 2 || System.nanoTime() - warmStart < WARMUP_NANOS; i++) {
            pass.run();
        }
        double[] rates = new double[PASSES];
        for (int i = 0; i < PASSES; i++) {
            long t0 = System.nanoTime();
            pass.run();
            rates[i] = flops / (System.nanoTime() - t0);
        }
        return median(rates);
    }

    /** Runs task on threads fresh threads at once; returns the wall nanoseconds. */
    private static long parallel(int threads, Runnable task) {
        Thread[] ts = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            ts[i] = new Thread(task, "latentflow-limits-" + i);
        }
        long t0 = System.nanoTime();
        for (Thread t : ts) {
            t.start();
        }
        for (Thread t : ts) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return System.nanoTime() - t0;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
