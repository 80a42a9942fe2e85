package io.latentflow.engine.ops;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link PanelGemm}'s streaming register tiles of one panel: BF16 with 8, 6 and 4 token rows for 32
 * vector registers ({@link StreamTiles16} has those for 16), one row in either case, and the
 * float32 tiles. The multi-row BF16 tiles take four k steps an iteration, one in each quarter of the
 * panel's k range: four memory streams in flight. Straight-line on purpose, as PanelGemm explains.
 */
final class PanelTiles {
    private static final VectorSpecies<Float> F = PanelGemm.F;
    private static final VectorSpecies<Integer> I = PanelGemm.I;
    private static final int FL = PanelGemm.FL;
    private static final int NB = PanelGemm.NB;
    private static final int HIGH = 0xFFFF0000;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private PanelTiles() {
    }

    /**
     * 8 token rows × NB weight rows over kc steps of the panel at byte po, x tile at xo; sums into t.
     * Each iteration takes one step in each quarter of the k range: four memory streams in flight
     * instead of one. A core keeps only about ten misses of its own in flight, so a single stream left
     * the small-batch GEMM (a few tokens per expert) at about 11 GB/s on two cores; the prefetcher
     * follows each stream and adds its own.
     */
    static void bf16x8(ByteBuffer p, int po, int kc, float[] x, int xo, float[] t) {
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

    /** 6 token rows × NB weight rows, four k streams as in {@link #bf16x8}: 5 or 6 tokens without 8-row padding. */
    static void bf16x6(ByteBuffer p, int po, int kc, float[] x, int xo, float[] t) {
        FloatVector a00 = FloatVector.zero(F), a01 = FloatVector.zero(F);
        FloatVector a10 = FloatVector.zero(F), a11 = FloatVector.zero(F);
        FloatVector a20 = FloatVector.zero(F), a21 = FloatVector.zero(F);
        FloatVector a30 = FloatVector.zero(F), a31 = FloatVector.zero(F);
        FloatVector a40 = FloatVector.zero(F), a41 = FloatVector.zero(F);
        FloatVector a50 = FloatVector.zero(F), a51 = FloatVector.zero(F);
        int q = kc / 4;
        int qb = q * FL * 4; // byte distance between the streams
        int qx = q * 6;   // x distance between the streams
        IntVector v;
        FloatVector lo, hi, b;
        for (int k = 0, xk = xo; k < q; k++, xk += 6) {
            int o = po + k * FL * 4;
            v = IntVector.fromByteBuffer(I, p, o, LE);
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
            v = IntVector.fromByteBuffer(I, p, o + qb, LE);
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
            v = IntVector.fromByteBuffer(I, p, o + 2 * qb, LE);
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
            v = IntVector.fromByteBuffer(I, p, o + 3 * qb, LE);
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
        }
        for (int k = 4 * q, xk = xo + 4 * qx; k < kc; k++, xk += 6) { // kc % 4 leftover steps
            v = IntVector.fromByteBuffer(I, p, po + k * FL * 4, LE);
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

    /** 4 token rows × NB weight rows, four k streams as in {@link #bf16x8}, two accumulator sets. */
    static void bf16x4(ByteBuffer p, int po, int kc, float[] x, int xo, float[] t) {
        FloatVector a00 = FloatVector.zero(F), a01 = FloatVector.zero(F);
        FloatVector a10 = FloatVector.zero(F), a11 = FloatVector.zero(F);
        FloatVector a20 = FloatVector.zero(F), a21 = FloatVector.zero(F);
        FloatVector a30 = FloatVector.zero(F), a31 = FloatVector.zero(F);
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        int q = kc / 4;
        int qb = q * FL * 4; // byte distance between the streams
        int qx = q * 4;   // x distance between the streams
        IntVector v;
        FloatVector lo, hi, b;
        for (int k = 0, xk = xo; k < q; k++, xk += 4) {
            int o = po + k * FL * 4;
            v = IntVector.fromByteBuffer(I, p, o, LE);
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
            v = IntVector.fromByteBuffer(I, p, o + qb, LE);
            lo = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            hi = v.and(HIGH).reinterpretAsFloats();
            b = FloatVector.broadcast(F, x[(xk + qx) + 0]);
            c00 = lo.fma(b, c00);
            c01 = hi.fma(b, c01);
            b = FloatVector.broadcast(F, x[(xk + qx) + 1]);
            c10 = lo.fma(b, c10);
            c11 = hi.fma(b, c11);
            b = FloatVector.broadcast(F, x[(xk + qx) + 2]);
            c20 = lo.fma(b, c20);
            c21 = hi.fma(b, c21);
            b = FloatVector.broadcast(F, x[(xk + qx) + 3]);
            c30 = lo.fma(b, c30);
            c31 = hi.fma(b, c31);
            v = IntVector.fromByteBuffer(I, p, o + 2 * qb, LE);
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
            v = IntVector.fromByteBuffer(I, p, o + 3 * qb, LE);
            lo = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            hi = v.and(HIGH).reinterpretAsFloats();
            b = FloatVector.broadcast(F, x[(xk + 3 * qx) + 0]);
            c00 = lo.fma(b, c00);
            c01 = hi.fma(b, c01);
            b = FloatVector.broadcast(F, x[(xk + 3 * qx) + 1]);
            c10 = lo.fma(b, c10);
            c11 = hi.fma(b, c11);
            b = FloatVector.broadcast(F, x[(xk + 3 * qx) + 2]);
            c20 = lo.fma(b, c20);
            c21 = hi.fma(b, c21);
            b = FloatVector.broadcast(F, x[(xk + 3 * qx) + 3]);
            c30 = lo.fma(b, c30);
            c31 = hi.fma(b, c31);
        }
        for (int k = 4 * q, xk = xo + 4 * qx; k < kc; k++, xk += 4) { // kc % 4 leftover steps
            v = IntVector.fromByteBuffer(I, p, po + k * FL * 4, LE);
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
        a00.add(c00).intoArray(t, 0 * FL);
        a01.add(c01).intoArray(t, 1 * FL);
        a10.add(c10).intoArray(t, 2 * FL);
        a11.add(c11).intoArray(t, 3 * FL);
        a20.add(c20).intoArray(t, 4 * FL);
        a21.add(c21).intoArray(t, 5 * FL);
        a30.add(c30).intoArray(t, 6 * FL);
        a31.add(c31).intoArray(t, 7 * FL);
    }

    /**
     * One token row × one panel, k in four interleaved streams (its quarters), as {@link #bf16x4}:
     * for the panels a thread has past its groups of {@value PanelGemm#PG}, which a single stream read at a
     * fraction of the bandwidth (q_a_proj's two leftover panels per thread took a quarter of it).
     */
    static void bf16x1k4(ByteBuffer p, int po, int kc, float[] x, int xo, float[] t) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, b0 = a0, b1 = a0, c0 = a0, c1 = a0, d0 = a0, d1 = a0;
        int q = kc / 4;
        int qb = q * FL * 4; // byte distance between the streams
        for (int k = 0; k < q; k++) {
            int o = po + k * FL * 4;
            IntVector v = IntVector.fromByteBuffer(I, p, o, LE);
            IntVector u = IntVector.fromByteBuffer(I, p, o + qb, LE);
            IntVector w = IntVector.fromByteBuffer(I, p, o + 2 * qb, LE);
            IntVector z = IntVector.fromByteBuffer(I, p, o + 3 * qb, LE);
            FloatVector e = FloatVector.broadcast(F, x[xo + k]);
            FloatVector f = FloatVector.broadcast(F, x[xo + k + q]);
            FloatVector g = FloatVector.broadcast(F, x[xo + k + 2 * q]);
            FloatVector h = FloatVector.broadcast(F, x[xo + k + 3 * q]);
            a0 = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(e, a0);
            a1 = v.and(HIGH).reinterpretAsFloats().fma(e, a1);
            b0 = u.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(f, b0);
            b1 = u.and(HIGH).reinterpretAsFloats().fma(f, b1);
            c0 = w.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(g, c0);
            c1 = w.and(HIGH).reinterpretAsFloats().fma(g, c1);
            d0 = z.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(h, d0);
            d1 = z.and(HIGH).reinterpretAsFloats().fma(h, d1);
        }
        for (int k = 4 * q; k < kc; k++) { // kc mod 4 steps
            IntVector v = IntVector.fromByteBuffer(I, p, po + k * FL * 4, LE);
            FloatVector e = FloatVector.broadcast(F, x[xo + k]);
            a0 = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(e, a0);
            a1 = v.and(HIGH).reinterpretAsFloats().fma(e, a1);
        }
        a0.add(b0).add(c0.add(d0)).intoArray(t, 0);
        a1.add(b1).add(c1.add(d1)).intoArray(t, FL);
    }

    static void f32x8(ByteBuffer p, int po, int kc, float[] x, int xo, float[] t) {
        FloatVector a00 = FloatVector.zero(F), a01 = FloatVector.zero(F);
        FloatVector a10 = FloatVector.zero(F), a11 = FloatVector.zero(F);
        FloatVector a20 = FloatVector.zero(F), a21 = FloatVector.zero(F);
        FloatVector a30 = FloatVector.zero(F), a31 = FloatVector.zero(F);
        FloatVector a40 = FloatVector.zero(F), a41 = FloatVector.zero(F);
        FloatVector a50 = FloatVector.zero(F), a51 = FloatVector.zero(F);
        FloatVector a60 = FloatVector.zero(F), a61 = FloatVector.zero(F);
        FloatVector a70 = FloatVector.zero(F), a71 = FloatVector.zero(F);
        for (int k = 0, xk = xo; k < kc; k++, xk += 8) {
            int o = po + k * NB * 4;
            FloatVector lo = FloatVector.fromByteBuffer(F, p, o, LE);
            FloatVector hi = FloatVector.fromByteBuffer(F, p, o + FL * 4, LE);
            FloatVector b = FloatVector.broadcast(F, x[xk + 0]);
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

    static void f32x4(ByteBuffer p, int po, int kc, float[] x, int xo, float[] t) {
        FloatVector a00 = FloatVector.zero(F), a01 = FloatVector.zero(F);
        FloatVector a10 = FloatVector.zero(F), a11 = FloatVector.zero(F);
        FloatVector a20 = FloatVector.zero(F), a21 = FloatVector.zero(F);
        FloatVector a30 = FloatVector.zero(F), a31 = FloatVector.zero(F);
        for (int k = 0, xk = xo; k < kc; k++, xk += 4) {
            int o = po + k * NB * 4;
            FloatVector lo = FloatVector.fromByteBuffer(F, p, o, LE);
            FloatVector hi = FloatVector.fromByteBuffer(F, p, o + FL * 4, LE);
            FloatVector b = FloatVector.broadcast(F, x[xk + 0]);
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

    static void f32x1(ByteBuffer p, int po, int kc, float[] x, int xo, float[] t) {
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
        FloatVector c0 = FloatVector.zero(F), c1 = FloatVector.zero(F);
        int k = 0;
        for (; k + 1 < kc; k += 2) {
            int o = po + k * NB * 4;
            FloatVector b = FloatVector.broadcast(F, x[xo + k]);
            FloatVector d = FloatVector.broadcast(F, x[xo + k + 1]);
            a0 = FloatVector.fromByteBuffer(F, p, o, LE).fma(b, a0);
            a1 = FloatVector.fromByteBuffer(F, p, o + FL * 4, LE).fma(b, a1);
            c0 = FloatVector.fromByteBuffer(F, p, o + NB * 4, LE).fma(d, c0);
            c1 = FloatVector.fromByteBuffer(F, p, o + NB * 4 + FL * 4, LE).fma(d, c1);
        }
        if (k < kc) {
            int o = po + k * NB * 4;
            FloatVector b = FloatVector.broadcast(F, x[xo + k]);
            a0 = FloatVector.fromByteBuffer(F, p, o, LE).fma(b, a0);
            a1 = FloatVector.fromByteBuffer(F, p, o + FL * 4, LE).fma(b, a1);
        }
        a0.add(c0).intoArray(t, 0 * FL);
        a1.add(c1).intoArray(t, 1 * FL);
    }
}
