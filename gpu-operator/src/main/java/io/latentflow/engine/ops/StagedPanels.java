package io.latentflow.engine.ops;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The 8-row GEMM tile of {@link PanelGemm} on a per-thread heap copy of one panel's k-block, for
 * token blocks large enough to be compute-bound (prefill, lm_head and shared experts of a decode
 * batch). Vector loads from a direct buffer keep a bounds check each; from an int[] in a counted loop
 * the check is hoisted, and the kernel measured about 15% faster (133 → 153 GFLOP/s a thread). The
 * copy is 64 KB per panel and serves every 8-row tile of the block. The first tile makes it: the
 * {@code Fill} kernels read the panel from memory, multiply and store each step into the stage, so
 * the panel's memory latency overlaps that tile's work (a batch-32 lm_head 9.2 → 7.0 ms; the 2048³
 * BF16 GEMM 274-313 → 339-353 GFLOP/s).
 */
final class StagedPanels {
    private static final VectorSpecies<Float> F = PanelGemm.F;
    private static final VectorSpecies<Integer> I = PanelGemm.I;
    private static final int FL = PanelGemm.FL;
    private static final int HIGH = 0xFFFF0000;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private StagedPanels() {
    }

    /** 8 token rows × one panel staged at s[0..): BF16 pairs as int lanes (FL ints per k). */
    static void bf16x8(int[] s, int kc, float[] x, int xo, float[] t) {
        FloatVector a00 = FloatVector.zero(F), a01 = FloatVector.zero(F);
        FloatVector a10 = FloatVector.zero(F), a11 = FloatVector.zero(F);
        FloatVector a20 = FloatVector.zero(F), a21 = FloatVector.zero(F);
        FloatVector a30 = FloatVector.zero(F), a31 = FloatVector.zero(F);
        FloatVector a40 = FloatVector.zero(F), a41 = FloatVector.zero(F);
        FloatVector a50 = FloatVector.zero(F), a51 = FloatVector.zero(F);
        FloatVector a60 = FloatVector.zero(F), a61 = FloatVector.zero(F);
        FloatVector a70 = FloatVector.zero(F), a71 = FloatVector.zero(F);
        FloatVector b;
        // two k per iteration: the loop's index arithmetic shares ports 0 and 5 with the FMAs, and
        // C2 does not unroll a loop this large itself
        int k = 0;
        int xk = xo;
        for (; k + 1 < kc; k += 2, xk += 16) {
            IntVector v = IntVector.fromArray(I, s, k * FL);
            FloatVector lo = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            FloatVector hi = v.and(HIGH).reinterpretAsFloats();
            IntVector v2 = IntVector.fromArray(I, s, k * FL + FL);
            FloatVector lo2 = v2.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            FloatVector hi2 = v2.and(HIGH).reinterpretAsFloats();
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
            b = FloatVector.broadcast(F, x[xk + 6]);
            a60 = lo.fma(b, a60);
            a61 = hi.fma(b, a61);
            b = FloatVector.broadcast(F, x[xk + 7]);
            a70 = lo.fma(b, a70);
            a71 = hi.fma(b, a71);
            b = FloatVector.broadcast(F, x[xk + 8 + 0]);
            a00 = lo2.fma(b, a00);
            a01 = hi2.fma(b, a01);
            b = FloatVector.broadcast(F, x[xk + 8 + 1]);
            a10 = lo2.fma(b, a10);
            a11 = hi2.fma(b, a11);
            b = FloatVector.broadcast(F, x[xk + 8 + 2]);
            a20 = lo2.fma(b, a20);
            a21 = hi2.fma(b, a21);
            b = FloatVector.broadcast(F, x[xk + 8 + 3]);
            a30 = lo2.fma(b, a30);
            a31 = hi2.fma(b, a31);
            b = FloatVector.broadcast(F, x[xk + 8 + 4]);
            a40 = lo2.fma(b, a40);
            a41 = hi2.fma(b, a41);
            b = FloatVector.broadcast(F, x[xk + 8 + 5]);
            a50 = lo2.fma(b, a50);
            a51 = hi2.fma(b, a51);
            b = FloatVector.broadcast(F, x[xk + 8 + 6]);
            a60 = lo2.fma(b, a60);
            a61 = hi2.fma(b, a61);
            b = FloatVector.broadcast(F, x[xk + 8 + 7]);
            a70 = lo2.fma(b, a70);
            a71 = hi2.fma(b, a71);
        }
        for (; k < kc; k++, xk += 8) {
            IntVector v = IntVector.fromArray(I, s, k * FL);
            FloatVector lo = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            FloatVector hi = v.and(HIGH).reinterpretAsFloats();
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
            b = FloatVector.broadcast(F, x[xk + 6]);
            a60 = lo.fma(b, a60);
            a61 = hi.fma(b, a61);
            b = FloatVector.broadcast(F, x[xk + 7]);
            a70 = lo.fma(b, a70);
            a71 = hi.fma(b, a71);
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
        a60.intoArray(t, 12 * FL);
        a61.intoArray(t, 13 * FL);
        a70.intoArray(t, 14 * FL);
        a71.intoArray(t, 15 * FL);
    }

    /**
     * 8 token rows × one panel staged at s[0..): float32 bits (2·FL ints per k). Four k steps an
     * iteration: the loop's index arithmetic and bounds checks run on the same ports as the
     * multiply-adds, and over 64 multiply-adds instead of 32 they cost less. In a harness from L2
     * (one thread, kc 1024): 150–187 against 141–172 GFLOP/s, 0.78–0.88 of the FMA peak; eight k
     * steps (about 3.5 KB of bytecode) ran slower.
     */
    static void f32x8(int[] s, int kc, float[] x, int xo, float[] t) {
        FloatVector a00 = FloatVector.zero(F), a01 = FloatVector.zero(F);
        FloatVector a10 = FloatVector.zero(F), a11 = FloatVector.zero(F);
        FloatVector a20 = FloatVector.zero(F), a21 = FloatVector.zero(F);
        FloatVector a30 = FloatVector.zero(F), a31 = FloatVector.zero(F);
        FloatVector a40 = FloatVector.zero(F), a41 = FloatVector.zero(F);
        FloatVector a50 = FloatVector.zero(F), a51 = FloatVector.zero(F);
        FloatVector a60 = FloatVector.zero(F), a61 = FloatVector.zero(F);
        FloatVector a70 = FloatVector.zero(F), a71 = FloatVector.zero(F);
        FloatVector b;
        int k = 0;
        int xk = xo;
        for (; k + 3 < kc; k += 4, xk += 32) {
            FloatVector lo = IntVector.fromArray(I, s, 2 * k * FL).reinterpretAsFloats();
            FloatVector hi = IntVector.fromArray(I, s, 2 * k * FL + FL).reinterpretAsFloats();
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
            b = FloatVector.broadcast(F, x[xk + 6]);
            a60 = lo.fma(b, a60);
            a61 = hi.fma(b, a61);
            b = FloatVector.broadcast(F, x[xk + 7]);
            a70 = lo.fma(b, a70);
            a71 = hi.fma(b, a71);
            FloatVector lo2 = IntVector.fromArray(I, s, 2 * k * FL + 2 * FL).reinterpretAsFloats();
            FloatVector hi2 = IntVector.fromArray(I, s, 2 * k * FL + 3 * FL).reinterpretAsFloats();
            b = FloatVector.broadcast(F, x[xk + 8 + 0]);
            a00 = lo2.fma(b, a00);
            a01 = hi2.fma(b, a01);
            b = FloatVector.broadcast(F, x[xk + 8 + 1]);
            a10 = lo2.fma(b, a10);
            a11 = hi2.fma(b, a11);
            b = FloatVector.broadcast(F, x[xk + 8 + 2]);
            a20 = lo2.fma(b, a20);
            a21 = hi2.fma(b, a21);
            b = FloatVector.broadcast(F, x[xk + 8 + 3]);
            a30 = lo2.fma(b, a30);
            a31 = hi2.fma(b, a31);
            b = FloatVector.broadcast(F, x[xk + 8 + 4]);
            a40 = lo2.fma(b, a40);
            a41 = hi2.fma(b, a41);
            b = FloatVector.broadcast(F, x[xk + 8 + 5]);
            a50 = lo2.fma(b, a50);
            a51 = hi2.fma(b, a51);
            b = FloatVector.broadcast(F, x[xk + 8 + 6]);
            a60 = lo2.fma(b, a60);
            a61 = hi2.fma(b, a61);
            b = FloatVector.broadcast(F, x[xk + 8 + 7]);
            a70 = lo2.fma(b, a70);
            a71 = hi2.fma(b, a71);
            FloatVector lo3 = IntVector.fromArray(I, s, 2 * k * FL + 4 * FL).reinterpretAsFloats();
            FloatVector hi3 = IntVector.fromArray(I, s, 2 * k * FL + 5 * FL).reinterpretAsFloats();
            b = FloatVector.broadcast(F, x[xk + 16 + 0]);
            a00 = lo3.fma(b, a00);
            a01 = hi3.fma(b, a01);
            b = FloatVector.broadcast(F, x[xk + 16 + 1]);
            a10 = lo3.fma(b, a10);
            a11 = hi3.fma(b, a11);
            b = FloatVector.broadcast(F, x[xk + 16 + 2]);
            a20 = lo3.fma(b, a20);
            a21 = hi3.fma(b, a21);
            b = FloatVector.broadcast(F, x[xk + 16 + 3]);
            a30 = lo3.fma(b, a30);
            a31 = hi3.fma(b, a31);
            b = FloatVector.broadcast(F, x[xk + 16 + 4]);
            a40 = lo3.fma(b, a40);
            a41 = hi3.fma(b, a41);
            b = FloatVector.broadcast(F, x[xk + 16 + 5]);
            a50 = lo3.fma(b, a50);
            a51 = hi3.fma(b, a51);
            b = FloatVector.broadcast(F, x[xk + 16 + 6]);
            a60 = lo3.fma(b, a60);
            a61 = hi3.fma(b, a61);
            b = FloatVector.broadcast(F, x[xk + 16 + 7]);
            a70 = lo3.fma(b, a70);
            a71 = hi3.fma(b, a71);
            FloatVector lo4 = IntVector.fromArray(I, s, 2 * k * FL + 6 * FL).reinterpretAsFloats();
            FloatVector hi4 = IntVector.fromArray(I, s, 2 * k * FL + 7 * FL).reinterpretAsFloats();
            b = FloatVector.broadcast(F, x[xk + 24 + 0]);
            a00 = lo4.fma(b, a00);
            a01 = hi4.fma(b, a01);
            b = FloatVector.broadcast(F, x[xk + 24 + 1]);
            a10 = lo4.fma(b, a10);
            a11 = hi4.fma(b, a11);
            b = FloatVector.broadcast(F, x[xk + 24 + 2]);
            a20 = lo4.fma(b, a20);
            a21 = hi4.fma(b, a21);
            b = FloatVector.broadcast(F, x[xk + 24 + 3]);
            a30 = lo4.fma(b, a30);
            a31 = hi4.fma(b, a31);
            b = FloatVector.broadcast(F, x[xk + 24 + 4]);
            a40 = lo4.fma(b, a40);
            a41 = hi4.fma(b, a41);
            b = FloatVector.broadcast(F, x[xk + 24 + 5]);
            a50 = lo4.fma(b, a50);
            a51 = hi4.fma(b, a51);
            b = FloatVector.broadcast(F, x[xk + 24 + 6]);
            a60 = lo4.fma(b, a60);
            a61 = hi4.fma(b, a61);
            b = FloatVector.broadcast(F, x[xk + 24 + 7]);
            a70 = lo4.fma(b, a70);
            a71 = hi4.fma(b, a71);
        }
        for (; k < kc; k++, xk += 8) {
            FloatVector lo = IntVector.fromArray(I, s, 2 * k * FL).reinterpretAsFloats();
            FloatVector hi = IntVector.fromArray(I, s, 2 * k * FL + FL).reinterpretAsFloats();
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
            b = FloatVector.broadcast(F, x[xk + 6]);
            a60 = lo.fma(b, a60);
            a61 = hi.fma(b, a61);
            b = FloatVector.broadcast(F, x[xk + 7]);
            a70 = lo.fma(b, a70);
            a71 = hi.fma(b, a71);
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
        a60.intoArray(t, 12 * FL);
        a61.intoArray(t, 13 * FL);
        a70.intoArray(t, 14 * FL);
        a71.intoArray(t, 15 * FL);
    }

    /**
     * The 8-row tile on the panel at byte po of p, in memory, storing each step it loads into the
     * stage s as it goes: the first tile of a staged panel, so the panel's memory latency hides
     * behind this tile's multiply-adds instead of stalling a copy before them. Four memory streams,
     * one per quarter of the k range, as the streaming kernels of {@link PanelGemm}: with one, a
     * batch-32 lm_head gained nothing.
     */
    static void bf16x8Fill(ByteBuffer p, int po, int kc, float[] x, int xo, float[] t, int[] s) {
        FloatVector a00 = FloatVector.zero(F), a01 = FloatVector.zero(F);
        FloatVector a10 = FloatVector.zero(F), a11 = FloatVector.zero(F);
        FloatVector a20 = FloatVector.zero(F), a21 = FloatVector.zero(F);
        FloatVector a30 = FloatVector.zero(F), a31 = FloatVector.zero(F);
        FloatVector a40 = FloatVector.zero(F), a41 = FloatVector.zero(F);
        FloatVector a50 = FloatVector.zero(F), a51 = FloatVector.zero(F);
        FloatVector a60 = FloatVector.zero(F), a61 = FloatVector.zero(F);
        FloatVector a70 = FloatVector.zero(F), a71 = FloatVector.zero(F);
        int q = kc / 4;
        int qb = q * FL * 4; // byte distance between the streams
        int qx = q * 8;   // x distance between the streams
        IntVector v;
        FloatVector lo, hi, b;
        for (int k = 0, xk = xo; k < q; k++, xk += 8) {
            int o = po + k * FL * 4;
            v = IntVector.fromByteBuffer(I, p, o, LE);
            v.intoArray(s, k * FL);
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
            b = FloatVector.broadcast(F, x[xk + 6]);
            a60 = lo.fma(b, a60);
            a61 = hi.fma(b, a61);
            b = FloatVector.broadcast(F, x[xk + 7]);
            a70 = lo.fma(b, a70);
            a71 = hi.fma(b, a71);
            v = IntVector.fromByteBuffer(I, p, o + qb, LE);
            v.intoArray(s, (k + q) * FL);
            lo = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            hi = v.and(HIGH).reinterpretAsFloats();
            b = FloatVector.broadcast(F, x[(xk + qx) + 0]);
            a00 = lo.fma(b, a00);
            a01 = hi.fma(b, a01);
            b = FloatVector.broadcast(F, x[(xk + qx) + 1]);
            a10 = lo.fma(b, a10);
            a11 = hi.fma(b, a11);
            b = FloatVector.broadcast(F, x[(xk + qx) + 2]);
            a20 = lo.fma(b, a20);
            a21 = hi.fma(b, a21);
            b = FloatVector.broadcast(F, x[(xk + qx) + 3]);
            a30 = lo.fma(b, a30);
            a31 = hi.fma(b, a31);
            b = FloatVector.broadcast(F, x[(xk + qx) + 4]);
            a40 = lo.fma(b, a40);
            a41 = hi.fma(b, a41);
            b = FloatVector.broadcast(F, x[(xk + qx) + 5]);
            a50 = lo.fma(b, a50);
            a51 = hi.fma(b, a51);
            b = FloatVector.broadcast(F, x[(xk + qx) + 6]);
            a60 = lo.fma(b, a60);
            a61 = hi.fma(b, a61);
            b = FloatVector.broadcast(F, x[(xk + qx) + 7]);
            a70 = lo.fma(b, a70);
            a71 = hi.fma(b, a71);
            v = IntVector.fromByteBuffer(I, p, o + 2 * qb, LE);
            v.intoArray(s, (k + 2 * q) * FL);
            lo = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            hi = v.and(HIGH).reinterpretAsFloats();
            b = FloatVector.broadcast(F, x[(xk + 2 * qx) + 0]);
            a00 = lo.fma(b, a00);
            a01 = hi.fma(b, a01);
            b = FloatVector.broadcast(F, x[(xk + 2 * qx) + 1]);
            a10 = lo.fma(b, a10);
            a11 = hi.fma(b, a11);
            b = FloatVector.broadcast(F, x[(xk + 2 * qx) + 2]);
            a20 = lo.fma(b, a20);
            a21 = hi.fma(b, a21);
            b = FloatVector.broadcast(F, x[(xk + 2 * qx) + 3]);
            a30 = lo.fma(b, a30);
            a31 = hi.fma(b, a31);
            b = FloatVector.broadcast(F, x[(xk + 2 * qx) + 4]);
            a40 = lo.fma(b, a40);
            a41 = hi.fma(b, a41);
            b = FloatVector.broadcast(F, x[(xk + 2 * qx) + 5]);
            a50 = lo.fma(b, a50);
            a51 = hi.fma(b, a51);
            b = FloatVector.broadcast(F, x[(xk + 2 * qx) + 6]);
            a60 = lo.fma(b, a60);
            a61 = hi.fma(b, a61);
            b = FloatVector.broadcast(F, x[(xk + 2 * qx) + 7]);
            a70 = lo.fma(b, a70);
            a71 = hi.fma(b, a71);
            v = IntVector.fromByteBuffer(I, p, o + 3 * qb, LE);
            v.intoArray(s, (k + 3 * q) * FL);
            lo = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            hi = v.and(HIGH).reinterpretAsFloats();
            b = FloatVector.broadcast(F, x[(xk + 3 * qx) + 0]);
            a00 = lo.fma(b, a00);
            a01 = hi.fma(b, a01);
            b = FloatVector.broadcast(F, x[(xk + 3 * qx) + 1]);
            a10 = lo.fma(b, a10);
            a11 = hi.fma(b, a11);
            b = FloatVector.broadcast(F, x[(xk + 3 * qx) + 2]);
            a20 = lo.fma(b, a20);
            a21 = hi.fma(b, a21);
            b = FloatVector.broadcast(F, x[(xk + 3 * qx) + 3]);
            a30 = lo.fma(b, a30);
            a31 = hi.fma(b, a31);
            b = FloatVector.broadcast(F, x[(xk + 3 * qx) + 4]);
            a40 = lo.fma(b, a40);
            a41 = hi.fma(b, a41);
            b = FloatVector.broadcast(F, x[(xk + 3 * qx) + 5]);
            a50 = lo.fma(b, a50);
            a51 = hi.fma(b, a51);
            b = FloatVector.broadcast(F, x[(xk + 3 * qx) + 6]);
            a60 = lo.fma(b, a60);
            a61 = hi.fma(b, a61);
            b = FloatVector.broadcast(F, x[(xk + 3 * qx) + 7]);
            a70 = lo.fma(b, a70);
            a71 = hi.fma(b, a71);
        }
        for (int k = 4 * q, xk = xo + 4 * qx; k < kc; k++, xk += 8) { // kc % 4 leftover steps
            v = IntVector.fromByteBuffer(I, p, po + k * FL * 4, LE);
            v.intoArray(s, k * FL);
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
            b = FloatVector.broadcast(F, x[xk + 6]);
            a60 = lo.fma(b, a60);
            a61 = hi.fma(b, a61);
            b = FloatVector.broadcast(F, x[xk + 7]);
            a70 = lo.fma(b, a70);
            a71 = hi.fma(b, a71);
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
        a60.intoArray(t, 12 * FL);
        a61.intoArray(t, 13 * FL);
        a70.intoArray(t, 14 * FL);
        a71.intoArray(t, 15 * FL);
    }

    /**
     * {@link #f32x8} reading the panel at byte po of p and filling the stage s, as {@link #bf16x8Fill}
     * but in one stream: four measured no faster on the f32 GEMM, whose panels come from L3.
     */
    static void f32x8Fill(ByteBuffer p, int po, int kc, float[] x, int xo, float[] t, int[] s) {
        FloatVector a00 = FloatVector.zero(F), a01 = FloatVector.zero(F);
        FloatVector a10 = FloatVector.zero(F), a11 = FloatVector.zero(F);
        FloatVector a20 = FloatVector.zero(F), a21 = FloatVector.zero(F);
        FloatVector a30 = FloatVector.zero(F), a31 = FloatVector.zero(F);
        FloatVector a40 = FloatVector.zero(F), a41 = FloatVector.zero(F);
        FloatVector a50 = FloatVector.zero(F), a51 = FloatVector.zero(F);
        FloatVector a60 = FloatVector.zero(F), a61 = FloatVector.zero(F);
        FloatVector a70 = FloatVector.zero(F), a71 = FloatVector.zero(F);
        FloatVector b;
        int k = 0;
        int xk = xo;
        for (; k + 1 < kc; k += 2, xk += 16) { // two k per iteration
            IntVector vl = IntVector.fromByteBuffer(I, p, po + 2 * k * FL * 4, LE);
            vl.intoArray(s, 2 * k * FL);
            FloatVector lo = vl.reinterpretAsFloats();
            IntVector vh = IntVector.fromByteBuffer(I, p, po + (2 * k + 1) * FL * 4, LE);
            vh.intoArray(s, 2 * k * FL + FL);
            FloatVector hi = vh.reinterpretAsFloats();
            IntVector vl2 = IntVector.fromByteBuffer(I, p, po + (2 * k + 2) * FL * 4, LE);
            vl2.intoArray(s, 2 * k * FL + 2 * FL);
            FloatVector lo2 = vl2.reinterpretAsFloats();
            IntVector vh2 = IntVector.fromByteBuffer(I, p, po + (2 * k + 3) * FL * 4, LE);
            vh2.intoArray(s, 2 * k * FL + 3 * FL);
            FloatVector hi2 = vh2.reinterpretAsFloats();
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
            b = FloatVector.broadcast(F, x[xk + 6]);
            a60 = lo.fma(b, a60);
            a61 = hi.fma(b, a61);
            b = FloatVector.broadcast(F, x[xk + 7]);
            a70 = lo.fma(b, a70);
            a71 = hi.fma(b, a71);
            b = FloatVector.broadcast(F, x[xk + 8 + 0]);
            a00 = lo2.fma(b, a00);
            a01 = hi2.fma(b, a01);
            b = FloatVector.broadcast(F, x[xk + 8 + 1]);
            a10 = lo2.fma(b, a10);
            a11 = hi2.fma(b, a11);
            b = FloatVector.broadcast(F, x[xk + 8 + 2]);
            a20 = lo2.fma(b, a20);
            a21 = hi2.fma(b, a21);
            b = FloatVector.broadcast(F, x[xk + 8 + 3]);
            a30 = lo2.fma(b, a30);
            a31 = hi2.fma(b, a31);
            b = FloatVector.broadcast(F, x[xk + 8 + 4]);
            a40 = lo2.fma(b, a40);
            a41 = hi2.fma(b, a41);
            b = FloatVector.broadcast(F, x[xk + 8 + 5]);
            a50 = lo2.fma(b, a50);
            a51 = hi2.fma(b, a51);
            b = FloatVector.broadcast(F, x[xk + 8 + 6]);
            a60 = lo2.fma(b, a60);
            a61 = hi2.fma(b, a61);
            b = FloatVector.broadcast(F, x[xk + 8 + 7]);
            a70 = lo2.fma(b, a70);
            a71 = hi2.fma(b, a71);
        }
        for (; k < kc; k++, xk += 8) {
            IntVector vl = IntVector.fromByteBuffer(I, p, po + 2 * k * FL * 4, LE);
            vl.intoArray(s, 2 * k * FL);
            FloatVector lo = vl.reinterpretAsFloats();
            IntVector vh = IntVector.fromByteBuffer(I, p, po + (2 * k + 1) * FL * 4, LE);
            vh.intoArray(s, 2 * k * FL + FL);
            FloatVector hi = vh.reinterpretAsFloats();
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
            b = FloatVector.broadcast(F, x[xk + 6]);
            a60 = lo.fma(b, a60);
            a61 = hi.fma(b, a61);
            b = FloatVector.broadcast(F, x[xk + 7]);
            a70 = lo.fma(b, a70);
            a71 = hi.fma(b, a71);
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
        a60.intoArray(t, 12 * FL);
        a61.intoArray(t, 13 * FL);
        a70.intoArray(t, 14 * FL);
        a71.intoArray(t, 15 * FL);
    }
}
