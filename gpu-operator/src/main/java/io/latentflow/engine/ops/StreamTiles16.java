package io.latentflow.engine.ops;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The streaming BF16 tiles of {@link PanelGemm} for machines with 16 vector registers (x86 without
 * AVX-512): 6 or 4 token rows × one panel read from the packed buffer, one k step per iteration.
 * The streaming tiles of {@link PanelTiles} ({@code bf16x8}, {@code bf16x6}, {@code bf16x4}) take
 * four k steps an iteration, one in each quarter of the panel's k range, for four memory streams; with 16
 * or more accumulators, or with the six broadcasts C2 hoists out of the steps, they spill at every
 * step on AVX2. These keep 12 or 8 accumulators, two panel vectors and a broadcast in registers.
 * On an AMD EPYC (Zen 3), two threads, 128 matrices of 512×1024 BF16 from memory, the two versions
 * alternating in one process, twelve rounds (GFLOP/s, medians): 4 rows 32.4 → 39.6, 5 rows 38.6 →
 * 40.6, 6 rows 45.7 → 47.6, 7 rows (6 + 1) 35.1 → 41.2, 8 rows (6 + 2) 40.8 → 43.5.
 *
 * <p>The 6-row loop counts the byte offset itself, as {@link SixRowTiles} explains; the 4-row loop
 * counts x's index ({@link #bf16x4} says why). On Java 17 a buffer's
 * limit and address are still loaded again at every vector load, about fifteen scalar instructions
 * a step. From memory on two Zen 3 cores (a harness, medians) these tiles stream about 10 GB/s (4
 * rows) and 9 (6 rows); the same loop over a heap int[] 13 and 12, the Java 25 segment build 11 (6
 * rows): far from the 20 that the one-row tiles reach. Two k steps an iteration, one in each half
 * of k (two streams into the same accumulators), measured 6–10% faster there but slower in whole
 * runs, and copying each panel to the heap first slower still, so neither is done.
 *
 * <p>Straight-line on purpose, as {@link PanelGemm} explains: that is the code C2 reliably keeps in
 * registers.
 */
final class StreamTiles16 {
    private static final VectorSpecies<Float> F = PanelGemm.F;
    private static final VectorSpecies<Integer> I = PanelGemm.I;
    private static final int FL = PanelGemm.FL;
    private static final int HIGH = 0xFFFF0000;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private StreamTiles16() {
    }

    /** 6 token rows × one BF16 panel read from p, one k step per iteration; sums into t. */
    static void bf16x6(ByteBuffer p, int po, int kc, float[] x, int xo, float[] t) {
        FloatVector a00 = FloatVector.zero(F), a01 = FloatVector.zero(F);
        FloatVector a10 = FloatVector.zero(F), a11 = FloatVector.zero(F);
        FloatVector a20 = FloatVector.zero(F), a21 = FloatVector.zero(F);
        FloatVector a30 = FloatVector.zero(F), a31 = FloatVector.zero(F);
        FloatVector a40 = FloatVector.zero(F), a41 = FloatVector.zero(F);
        FloatVector a50 = FloatVector.zero(F), a51 = FloatVector.zero(F);
        FloatVector lo, hi, b;
        for (int o = po, xk = xo, end = po + kc * FL * 4; o < end; o += FL * 4, xk += 6) {
            IntVector v = IntVector.fromByteBuffer(I, p, o, LE);
            lo = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            hi = v.and(HIGH).reinterpretAsFloats();
            b = FloatVector.broadcast(F, x[xk + 0]);
            a00 = lo.fma(b, a00);
            a01 = hi.fma(b, a01);
            b = FloatVector.broadcast(F, x[xk + 1]);
            a10 = lo.fma(b, a10);
            a11 = hi.fma(b, a11);
            b = FloatVector.broadcast(F, x[xk + 2]);
            a20 = lo.fma(b, a20);
            a21 = hi.fma(b, a21);
            b = FloatVector.broadcast(F, x[xk + 3]);
            a30 = lo.fma(b, a30);
            a31 = hi.fma(b, a31);
            b = FloatVector.broadcast(F, x[xk + 4]);
            a40 = lo.fma(b, a40);
            a41 = hi.fma(b, a41);
            b = FloatVector.broadcast(F, x[xk + 5]);
            a50 = lo.fma(b, a50);
            a51 = hi.fma(b, a51);
        }
        a00.intoArray(t, 0 * FL);
        a01.intoArray(t, 1 * FL);
        a10.intoArray(t, 2 * FL);
        a11.intoArray(t, 3 * FL);
        a20.intoArray(t, 4 * FL);
        a21.intoArray(t, 5 * FL);
        a30.intoArray(t, 6 * FL);
        a31.intoArray(t, 7 * FL);
        a40.intoArray(t, 8 * FL);
        a41.intoArray(t, 9 * FL);
        a50.intoArray(t, 10 * FL);
        a51.intoArray(t, 11 * FL);
    }

    /**
     * 4 token rows × one BF16 panel read from p, one k step per iteration; sums into t. Unlike the
     * 6-row tile, the loop counts x's index and the byte offset follows it: on Java 17 the k step
     * otherwise kept two bounds checks on the x broadcasts (hsdis). 32 experts of 4 tokens from
     * memory, two threads, both forms alternating in one process (time ratios): 0.87 on Java 17,
     * 0.92 on Java 25 (the segment build); a batch-32 mix of 1–7 tokens 0.96 and 0.95. The 6-row
     * tile measured 1.08 with the same change, so it keeps its loop.
     */
    static void bf16x4(ByteBuffer p, int po, int kc, float[] x, int xo, float[] t) {
        FloatVector a00 = FloatVector.zero(F), a01 = FloatVector.zero(F);
        FloatVector a10 = FloatVector.zero(F), a11 = FloatVector.zero(F);
        FloatVector a20 = FloatVector.zero(F), a21 = FloatVector.zero(F);
        FloatVector a30 = FloatVector.zero(F), a31 = FloatVector.zero(F);
        FloatVector lo, hi, b;
        for (int xk = xo, xend = xo + 4 * kc, o = po; xk < xend; xk += 4, o += FL * 4) {
            IntVector v = IntVector.fromByteBuffer(I, p, o, LE);
            lo = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            hi = v.and(HIGH).reinterpretAsFloats();
            b = FloatVector.broadcast(F, x[xk + 0]);
            a00 = lo.fma(b, a00);
            a01 = hi.fma(b, a01);
            b = FloatVector.broadcast(F, x[xk + 1]);
            a10 = lo.fma(b, a10);
            a11 = hi.fma(b, a11);
            b = FloatVector.broadcast(F, x[xk + 2]);
            a20 = lo.fma(b, a20);
            a21 = hi.fma(b, a21);
            b = FloatVector.broadcast(F, x[xk + 3]);
            a30 = lo.fma(b, a30);
            a31 = hi.fma(b, a31);
        }
        a00.intoArray(t, 0 * FL);
        a01.intoArray(t, 1 * FL);
        a10.intoArray(t, 2 * FL);
        a11.intoArray(t, 3 * FL);
        a20.intoArray(t, 4 * FL);
        a21.intoArray(t, 5 * FL);
        a30.intoArray(t, 6 * FL);
        a31.intoArray(t, 7 * FL);
    }
}
