package io.latentflow.engine.ops;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The staged GEMM tiles of {@link PanelGemm} for machines with 16 vector registers (x86 without
 * AVX-512): 6 token rows × one panel, 12 accumulators, one k step per iteration (4 rows, 8
 * accumulators, for a block's last rows). The 8-row tiles of
 * {@link StagedPanels} keep 16 accumulators and, with k steps unrolled, up to eight loaded panel
 * vectors besides: on AVX2's 16 registers C2 spilled them to the stack at every step, and the 2048³
 * float32 GEMM on an AMD EPYC (Zen 3, two threads) measured 58 GFLOP/s, a third of the FMA peak.
 * This tile needs 12 accumulators, two panel vectors and a broadcast, and its loop has no spill;
 * unrolled k steps brought the spills back (one thread, from L2: one step 69–79 GFLOP/s, two
 * steps 36–38).
 *
 * <p>The loops count the stage index itself ({@code so += 2·FL}), not k with {@code 2·k·FL}: for
 * the k form C2 kept two bounds checks on the stage loads, reloaded the stage array from the stack
 * and recomputed the index with about ten scalar instructions a step, next to 12 multiply-adds;
 * the float32 tile from cache measured 41–49 GFLOP/s a thread that way and 64–72 with the running
 * index (medians, alternating in one process). The x broadcasts keep their checks (a second
 * index); counting x instead measured 37.
 *
 * <p>As in {@link StagedPanels}: the {@code Fill} kernels are a panel's first tile, reading it from
 * memory and storing each step into the thread's stage s; the panel's other tiles read the stage
 * with {@link #f32x6}. A BF16 panel is staged widened to float32: its tiles from the stage then do
 * no split at every step, and read twice the bytes from L2 with no loss. Two threads, the two
 * builds alternating in one process (time ratio, medians of 20–30 rounds): BF16 GEMM 2048³ 0.90,
 * the batch-32 lm_head (32000×1024) 0.91, the batch-128 lm_head 0.85 (Zen 3).
 *
 * <p>The BF16 fill takes a pair's high half as {@code v & 0xFFFF0000}; the Java 22+ variant
 * ({@code SegmentKernels}) takes it as {@code (v >>> 16) << 16}, two shifts. Java 25's C2 kept the
 * mask in a register of its own, or loaded it again at every step, and spilled an accumulator (BF16
 * GEMM 2048³ on a Zen 3: 62–63 GFLOP/s against 78–101 with the shifts, when every staged BF16 tile
 * split its panel). Java 17 measured the same either way in the GEMM, but with the shifts here its
 * C2 compiled {@code FourPanelTiles.bf16x1p4} in about a third of the runs without the Vector API's
 * intrinsics (a boxed vector and a call for each {@code reinterpretAsFloats}; batch 1 at 14–23 tok/s
 * instead of 55–75, batch 8 at 40–46 instead of 125–145); with the mask, 0 of 35 runs. The tiles
 * share the Vector API methods' profiles, so a kernel's choice of operations can change how C2
 * compiles another kernel.
 *
 * <p>The four kernels repeat the same tile on purpose, straight-line, as {@link PanelGemm}
 * explains: that is the code C2 reliably keeps in registers.
 */
final class SixRowTiles {
    private static final VectorSpecies<Float> F = PanelGemm.F;
    private static final VectorSpecies<Integer> I = PanelGemm.I;
    private static final int FL = PanelGemm.FL;
    private static final int HIGH = 0xFFFF0000;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    /** Token rows of the tile. */
    static final int ROWS = 6;

    private SixRowTiles() {
    }

    /** 6 token rows × one float32 panel staged at s[0..) (2·FL values per k, as int bits). */
    static void f32x6(int[] s, int kc, float[] x, int xo, float[] t) {
        FloatVector a00 = FloatVector.zero(F), a01 = FloatVector.zero(F);
        FloatVector a10 = FloatVector.zero(F), a11 = FloatVector.zero(F);
        FloatVector a20 = FloatVector.zero(F), a21 = FloatVector.zero(F);
        FloatVector a30 = FloatVector.zero(F), a31 = FloatVector.zero(F);
        FloatVector a40 = FloatVector.zero(F), a41 = FloatVector.zero(F);
        FloatVector a50 = FloatVector.zero(F), a51 = FloatVector.zero(F);
        FloatVector lo, hi, b;
        for (int so = 0, xk = xo, end = 2 * kc * FL; so < end; so += 2 * FL, xk += 6) {
            lo = IntVector.fromArray(I, s, so).reinterpretAsFloats();
            hi = IntVector.fromArray(I, s, so + FL).reinterpretAsFloats();
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

    /** {@link #f32x6} on the panel at byte po of p, storing each step into the stage s. */
    static void f32x6Fill(ByteBuffer p, int po, int kc, float[] x, int xo, float[] t, int[] s) {
        FloatVector a00 = FloatVector.zero(F), a01 = FloatVector.zero(F);
        FloatVector a10 = FloatVector.zero(F), a11 = FloatVector.zero(F);
        FloatVector a20 = FloatVector.zero(F), a21 = FloatVector.zero(F);
        FloatVector a30 = FloatVector.zero(F), a31 = FloatVector.zero(F);
        FloatVector a40 = FloatVector.zero(F), a41 = FloatVector.zero(F);
        FloatVector a50 = FloatVector.zero(F), a51 = FloatVector.zero(F);
        FloatVector lo, hi, b;
        for (int so = 0, o = po, xk = xo, end = 2 * kc * FL; so < end; so += 2 * FL, o += 2 * FL * 4, xk += 6) {
            IntVector vl = IntVector.fromByteBuffer(I, p, o, LE);
            vl.intoArray(s, so);
            lo = vl.reinterpretAsFloats();
            IntVector vh = IntVector.fromByteBuffer(I, p, o + FL * 4, LE);
            vh.intoArray(s, so + FL);
            hi = vh.reinterpretAsFloats();
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
     * 4 token rows × one panel staged at s[0..), as {@link #f32x6}: a staged block's last rows when
     * they are not 5 or 6 (8 rows go as two of these).
     */
    static void f32x4(int[] s, int kc, float[] x, int xo, float[] t) {
        FloatVector a00 = FloatVector.zero(F), a01 = FloatVector.zero(F);
        FloatVector a10 = FloatVector.zero(F), a11 = FloatVector.zero(F);
        FloatVector a20 = FloatVector.zero(F), a21 = FloatVector.zero(F);
        FloatVector a30 = FloatVector.zero(F), a31 = FloatVector.zero(F);
        FloatVector lo, hi, b;
        for (int so = 0, xk = xo, end = 2 * kc * FL; so < end; so += 2 * FL, xk += 4) {
            lo = IntVector.fromArray(I, s, so).reinterpretAsFloats();
            hi = IntVector.fromArray(I, s, so + FL).reinterpretAsFloats();
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

    /**
     * 6 token rows × the BF16 panel at byte po of p, storing each step into the stage s widened to
     * float32, where {@link #f32x6} reads it: the panel's other tiles then skip the split.
     */
    static void bf16x6Fill(ByteBuffer p, int po, int kc, float[] x, int xo, float[] t, int[] s) {
        FloatVector a00 = FloatVector.zero(F), a01 = FloatVector.zero(F);
        FloatVector a10 = FloatVector.zero(F), a11 = FloatVector.zero(F);
        FloatVector a20 = FloatVector.zero(F), a21 = FloatVector.zero(F);
        FloatVector a30 = FloatVector.zero(F), a31 = FloatVector.zero(F);
        FloatVector a40 = FloatVector.zero(F), a41 = FloatVector.zero(F);
        FloatVector a50 = FloatVector.zero(F), a51 = FloatVector.zero(F);
        FloatVector lo, hi, b;
        for (int so = 0, o = po, xk = xo, end = 2 * kc * FL; so < end; so += 2 * FL, o += FL * 4, xk += 6) {
            IntVector v = IntVector.fromByteBuffer(I, p, o, LE);
            IntVector vl = v.lanewise(VectorOperators.LSHL, 16);
            IntVector vh = v.and(HIGH);
            vl.intoArray(s, so);
            vh.intoArray(s, so + FL);
            lo = vl.reinterpretAsFloats();
            hi = vh.reinterpretAsFloats();
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
}
