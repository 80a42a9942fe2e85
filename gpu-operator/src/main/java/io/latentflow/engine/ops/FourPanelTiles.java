package io.latentflow.engine.ops;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link PanelGemm}'s tiles of one to three token rows × four panels side by side, the panels
 * {@code ps} bytes apart: a quarter of a thread's sub-range each, so each of the four memory streams
 * runs on through consecutive panels. Tile row i of panel g lands at {@code t[(g·mr + i)·NB]}.
 * For the matrix-vector product (decode at batch 1) and the experts with 2 or 3 tokens.
 * Straight-line on purpose, as PanelGemm explains.
 */
final class FourPanelTiles {
    private static final VectorSpecies<Float> F = PanelGemm.F;
    private static final VectorSpecies<Integer> I = PanelGemm.I;
    private static final int FL = PanelGemm.FL;
    private static final int NB = PanelGemm.NB;
    private static final int HIGH = 0xFFFF0000;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private FourPanelTiles() {
    }

    /**
     * One token row × four panels (byte stride ps): the matrix-vector product. Memory-bound, so the
     * point is four independent load streams; eight accumulators cover the FMA latency.
     */
    static void bf16x1p4(ByteBuffer p, int po, int ps, int kc, float[] x, int xo, float[] t) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, b0 = a0, b1 = a0, c0 = a0, c1 = a0, d0 = a0, d1 = a0;
        // two k steps an iteration: fewer loop instructions per byte leave room for more loads in
        // flight (measured 21 -> 22.5 GB/s on two cores)
        int k = 0;
        for (; k + 1 < kc; k += 2) {
            int o = po + k * FL * 4;
            FloatVector b = FloatVector.broadcast(F, x[xo + k]);
            IntVector v = IntVector.fromByteBuffer(I, p, o, LE);
            IntVector u = IntVector.fromByteBuffer(I, p, o + ps, LE);
            IntVector w = IntVector.fromByteBuffer(I, p, o + 2 * ps, LE);
            IntVector z = IntVector.fromByteBuffer(I, p, o + 3 * ps, LE);
            a0 = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(b, a0);
            a1 = v.and(HIGH).reinterpretAsFloats().fma(b, a1);
            b0 = u.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(b, b0);
            b1 = u.and(HIGH).reinterpretAsFloats().fma(b, b1);
            c0 = w.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(b, c0);
            c1 = w.and(HIGH).reinterpretAsFloats().fma(b, c1);
            d0 = z.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(b, d0);
            d1 = z.and(HIGH).reinterpretAsFloats().fma(b, d1);
            o += FL * 4;
            b = FloatVector.broadcast(F, x[xo + k + 1]);
            v = IntVector.fromByteBuffer(I, p, o, LE);
            u = IntVector.fromByteBuffer(I, p, o + ps, LE);
            w = IntVector.fromByteBuffer(I, p, o + 2 * ps, LE);
            z = IntVector.fromByteBuffer(I, p, o + 3 * ps, LE);
            a0 = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(b, a0);
            a1 = v.and(HIGH).reinterpretAsFloats().fma(b, a1);
            b0 = u.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(b, b0);
            b1 = u.and(HIGH).reinterpretAsFloats().fma(b, b1);
            c0 = w.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(b, c0);
            c1 = w.and(HIGH).reinterpretAsFloats().fma(b, c1);
            d0 = z.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(b, d0);
            d1 = z.and(HIGH).reinterpretAsFloats().fma(b, d1);
        }
        if (k < kc) { // odd kc: the last step
            int o = po + k * FL * 4;
            FloatVector b = FloatVector.broadcast(F, x[xo + k]);
            IntVector v = IntVector.fromByteBuffer(I, p, o, LE);
            IntVector u = IntVector.fromByteBuffer(I, p, o + ps, LE);
            IntVector w = IntVector.fromByteBuffer(I, p, o + 2 * ps, LE);
            IntVector z = IntVector.fromByteBuffer(I, p, o + 3 * ps, LE);
            a0 = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(b, a0);
            a1 = v.and(HIGH).reinterpretAsFloats().fma(b, a1);
            b0 = u.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(b, b0);
            b1 = u.and(HIGH).reinterpretAsFloats().fma(b, b1);
            c0 = w.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(b, c0);
            c1 = w.and(HIGH).reinterpretAsFloats().fma(b, c1);
            d0 = z.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(b, d0);
            d1 = z.and(HIGH).reinterpretAsFloats().fma(b, d1);
        }
        a0.intoArray(t, 0 * FL);
        a1.intoArray(t, 1 * FL);
        b0.intoArray(t, 2 * FL);
        b1.intoArray(t, 3 * FL);
        c0.intoArray(t, 4 * FL);
        c1.intoArray(t, 5 * FL);
        d0.intoArray(t, 6 * FL);
        d1.intoArray(t, 7 * FL);
    }

    /**
     * Two token rows × four panels (byte stride ps), as {@link #bf16x1p4}: four streams, each running
     * on through a quarter of the sub-range's panels, where the 4-row tile restarts four short streams
     * (the quarters of one panel's k) at every panel. Tile row i of panel g at t[(g·2 + i)·NB].
     * Experts with 2 or 3 tokens are about a third of those at batch 32 and most at batch 8. Timed
     * per expert at batch 32, a 2-, 3- or 4-token expert took the same 300 µs (10.5 GB/s) where a
     * one-token expert, streamed this way, took 245 (12.8 GB/s). With this tile and {@link #bf16x3p4}
     * (whole runs, alternating): batch 32 476, 466 → 513, 469 tok/s, batch 8 252, 258 → 267, 263,
     * the MoE phase 5.47, 5.66 → 5.05, 5.43 ms a layer at batch 32. Splitting 4 to 6 rows into two
     * such tiles (the second pass over the group from L2) was slower: 1 MB matrices from memory on two
     * threads, 143 against 130 µs for 4 rows, 155 against 110 for 6.
     */
    static void bf16x2p4(ByteBuffer p, int po, int ps, int kc, float[] x, int xo, float[] t) {
        FloatVector a00 = FloatVector.zero(F), a01 = a00;
        FloatVector a10 = FloatVector.zero(F), a11 = a10;
        FloatVector b00 = FloatVector.zero(F), b01 = b00;
        FloatVector b10 = FloatVector.zero(F), b11 = b10;
        FloatVector c00 = FloatVector.zero(F), c01 = c00;
        FloatVector c10 = FloatVector.zero(F), c11 = c10;
        FloatVector d00 = FloatVector.zero(F), d01 = d00;
        FloatVector d10 = FloatVector.zero(F), d11 = d10;
        int k = 0;
        for (; k + 1 < kc; k += 2) {
            int o = po + k * FL * 4;
            FloatVector w0 = FloatVector.broadcast(F, x[xo + 2 * k + 0]);
            FloatVector w1 = FloatVector.broadcast(F, x[xo + 2 * k + 1]);
            IntVector va0 = IntVector.fromByteBuffer(I, p, o, LE);
            IntVector vb0 = IntVector.fromByteBuffer(I, p, o + ps, LE);
            IntVector vc0 = IntVector.fromByteBuffer(I, p, o + 2 * ps, LE);
            IntVector vd0 = IntVector.fromByteBuffer(I, p, o + 3 * ps, LE);
            FloatVector la0 = va0.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            a00 = la0.fma(w0, a00);
            a10 = la0.fma(w1, a10);
            FloatVector ha0 = va0.and(HIGH).reinterpretAsFloats();
            a01 = ha0.fma(w0, a01);
            a11 = ha0.fma(w1, a11);
            FloatVector lb0 = vb0.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            b00 = lb0.fma(w0, b00);
            b10 = lb0.fma(w1, b10);
            FloatVector hb0 = vb0.and(HIGH).reinterpretAsFloats();
            b01 = hb0.fma(w0, b01);
            b11 = hb0.fma(w1, b11);
            FloatVector lc0 = vc0.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            c00 = lc0.fma(w0, c00);
            c10 = lc0.fma(w1, c10);
            FloatVector hc0 = vc0.and(HIGH).reinterpretAsFloats();
            c01 = hc0.fma(w0, c01);
            c11 = hc0.fma(w1, c11);
            FloatVector ld0 = vd0.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            d00 = ld0.fma(w0, d00);
            d10 = ld0.fma(w1, d10);
            FloatVector hd0 = vd0.and(HIGH).reinterpretAsFloats();
            d01 = hd0.fma(w0, d01);
            d11 = hd0.fma(w1, d11);
            o += FL * 4;
            w0 = FloatVector.broadcast(F, x[xo + 2 * k + 2]);
            w1 = FloatVector.broadcast(F, x[xo + 2 * k + 3]);
            IntVector va1 = IntVector.fromByteBuffer(I, p, o, LE);
            IntVector vb1 = IntVector.fromByteBuffer(I, p, o + ps, LE);
            IntVector vc1 = IntVector.fromByteBuffer(I, p, o + 2 * ps, LE);
            IntVector vd1 = IntVector.fromByteBuffer(I, p, o + 3 * ps, LE);
            FloatVector la1 = va1.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            a00 = la1.fma(w0, a00);
            a10 = la1.fma(w1, a10);
            FloatVector ha1 = va1.and(HIGH).reinterpretAsFloats();
            a01 = ha1.fma(w0, a01);
            a11 = ha1.fma(w1, a11);
            FloatVector lb1 = vb1.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            b00 = lb1.fma(w0, b00);
            b10 = lb1.fma(w1, b10);
            FloatVector hb1 = vb1.and(HIGH).reinterpretAsFloats();
            b01 = hb1.fma(w0, b01);
            b11 = hb1.fma(w1, b11);
            FloatVector lc1 = vc1.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            c00 = lc1.fma(w0, c00);
            c10 = lc1.fma(w1, c10);
            FloatVector hc1 = vc1.and(HIGH).reinterpretAsFloats();
            c01 = hc1.fma(w0, c01);
            c11 = hc1.fma(w1, c11);
            FloatVector ld1 = vd1.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            d00 = ld1.fma(w0, d00);
            d10 = ld1.fma(w1, d10);
            FloatVector hd1 = vd1.and(HIGH).reinterpretAsFloats();
            d01 = hd1.fma(w0, d01);
            d11 = hd1.fma(w1, d11);
        }
        for (; k < kc; k++) {
            int o = po + k * FL * 4;
            FloatVector w0 = FloatVector.broadcast(F, x[xo + 2 * k]);
            FloatVector w1 = FloatVector.broadcast(F, x[xo + 2 * k + 1]);
            IntVector va = IntVector.fromByteBuffer(I, p, o, LE);
            a00 = va.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(w0, a00);
            a10 = va.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(w1, a10);
            a01 = va.and(HIGH).reinterpretAsFloats().fma(w0, a01);
            a11 = va.and(HIGH).reinterpretAsFloats().fma(w1, a11);
            IntVector vb = IntVector.fromByteBuffer(I, p, o + ps, LE);
            b00 = vb.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(w0, b00);
            b10 = vb.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(w1, b10);
            b01 = vb.and(HIGH).reinterpretAsFloats().fma(w0, b01);
            b11 = vb.and(HIGH).reinterpretAsFloats().fma(w1, b11);
            IntVector vc = IntVector.fromByteBuffer(I, p, o + 2 * ps, LE);
            c00 = vc.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(w0, c00);
            c10 = vc.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(w1, c10);
            c01 = vc.and(HIGH).reinterpretAsFloats().fma(w0, c01);
            c11 = vc.and(HIGH).reinterpretAsFloats().fma(w1, c11);
            IntVector vd = IntVector.fromByteBuffer(I, p, o + 3 * ps, LE);
            d00 = vd.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(w0, d00);
            d10 = vd.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(w1, d10);
            d01 = vd.and(HIGH).reinterpretAsFloats().fma(w0, d01);
            d11 = vd.and(HIGH).reinterpretAsFloats().fma(w1, d11);
        }
        a00.intoArray(t, 0 * FL);
        a01.intoArray(t, 1 * FL);
        a10.intoArray(t, 2 * FL);
        a11.intoArray(t, 3 * FL);
        b00.intoArray(t, 4 * FL);
        b01.intoArray(t, 5 * FL);
        b10.intoArray(t, 6 * FL);
        b11.intoArray(t, 7 * FL);
        c00.intoArray(t, 8 * FL);
        c01.intoArray(t, 9 * FL);
        c10.intoArray(t, 10 * FL);
        c11.intoArray(t, 11 * FL);
        d00.intoArray(t, 12 * FL);
        d01.intoArray(t, 13 * FL);
        d10.intoArray(t, 14 * FL);
        d11.intoArray(t, 15 * FL);
    }

    /**
     * Three token rows × four panels, as {@link #bf16x2p4}: 24 accumulators, so one k step an
     * iteration. Tile row i of panel g at t[(g·3 + i)·NB].
     */
    static void bf16x3p4(ByteBuffer p, int po, int ps, int kc, float[] x, int xo, float[] t) {
        FloatVector a00 = FloatVector.zero(F), a01 = a00;
        FloatVector a10 = FloatVector.zero(F), a11 = a10;
        FloatVector a20 = FloatVector.zero(F), a21 = a20;
        FloatVector b00 = FloatVector.zero(F), b01 = b00;
        FloatVector b10 = FloatVector.zero(F), b11 = b10;
        FloatVector b20 = FloatVector.zero(F), b21 = b20;
        FloatVector c00 = FloatVector.zero(F), c01 = c00;
        FloatVector c10 = FloatVector.zero(F), c11 = c10;
        FloatVector c20 = FloatVector.zero(F), c21 = c20;
        FloatVector d00 = FloatVector.zero(F), d01 = d00;
        FloatVector d10 = FloatVector.zero(F), d11 = d10;
        FloatVector d20 = FloatVector.zero(F), d21 = d20;
        for (int k = 0, xk = xo; k < kc; k++, xk += 3) {
            int o = po + k * FL * 4;
            IntVector va = IntVector.fromByteBuffer(I, p, o, LE);
            IntVector vb = IntVector.fromByteBuffer(I, p, o + ps, LE);
            IntVector vc = IntVector.fromByteBuffer(I, p, o + 2 * ps, LE);
            IntVector vd = IntVector.fromByteBuffer(I, p, o + 3 * ps, LE);
            FloatVector w;
            w = FloatVector.broadcast(F, x[xk + 0]);
            a00 = va.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(w, a00);
            a01 = va.and(HIGH).reinterpretAsFloats().fma(w, a01);
            b00 = vb.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(w, b00);
            b01 = vb.and(HIGH).reinterpretAsFloats().fma(w, b01);
            c00 = vc.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(w, c00);
            c01 = vc.and(HIGH).reinterpretAsFloats().fma(w, c01);
            d00 = vd.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(w, d00);
            d01 = vd.and(HIGH).reinterpretAsFloats().fma(w, d01);
            w = FloatVector.broadcast(F, x[xk + 1]);
            a10 = va.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(w, a10);
            a11 = va.and(HIGH).reinterpretAsFloats().fma(w, a11);
            b10 = vb.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(w, b10);
            b11 = vb.and(HIGH).reinterpretAsFloats().fma(w, b11);
            c10 = vc.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(w, c10);
            c11 = vc.and(HIGH).reinterpretAsFloats().fma(w, c11);
            d10 = vd.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(w, d10);
            d11 = vd.and(HIGH).reinterpretAsFloats().fma(w, d11);
            w = FloatVector.broadcast(F, x[xk + 2]);
            a20 = va.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(w, a20);
            a21 = va.and(HIGH).reinterpretAsFloats().fma(w, a21);
            b20 = vb.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(w, b20);
            b21 = vb.and(HIGH).reinterpretAsFloats().fma(w, b21);
            c20 = vc.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(w, c20);
            c21 = vc.and(HIGH).reinterpretAsFloats().fma(w, c21);
            d20 = vd.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(w, d20);
            d21 = vd.and(HIGH).reinterpretAsFloats().fma(w, d21);
        }
        a00.intoArray(t, 0 * FL);
        a01.intoArray(t, 1 * FL);
        a10.intoArray(t, 2 * FL);
        a11.intoArray(t, 3 * FL);
        a20.intoArray(t, 4 * FL);
        a21.intoArray(t, 5 * FL);
        b00.intoArray(t, 6 * FL);
        b01.intoArray(t, 7 * FL);
        b10.intoArray(t, 8 * FL);
        b11.intoArray(t, 9 * FL);
        b20.intoArray(t, 10 * FL);
        b21.intoArray(t, 11 * FL);
        c00.intoArray(t, 12 * FL);
        c01.intoArray(t, 13 * FL);
        c10.intoArray(t, 14 * FL);
        c11.intoArray(t, 15 * FL);
        c20.intoArray(t, 16 * FL);
        c21.intoArray(t, 17 * FL);
        d00.intoArray(t, 18 * FL);
        d01.intoArray(t, 19 * FL);
        d10.intoArray(t, 20 * FL);
        d11.intoArray(t, 21 * FL);
        d20.intoArray(t, 22 * FL);
        d21.intoArray(t, 23 * FL);
    }

    static void f32x1p4(ByteBuffer p, int po, int ps, int kc, float[] x, int xo, float[] t) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, b0 = a0, b1 = a0, c0 = a0, c1 = a0, d0 = a0, d1 = a0;
        for (int k = 0; k < kc; k++) {
            int o = po + k * NB * 4;
            FloatVector b = FloatVector.broadcast(F, x[xo + k]);
            a0 = FloatVector.fromByteBuffer(F, p, o, LE).fma(b, a0);
            a1 = FloatVector.fromByteBuffer(F, p, o + FL * 4, LE).fma(b, a1);
            b0 = FloatVector.fromByteBuffer(F, p, o + ps, LE).fma(b, b0);
            b1 = FloatVector.fromByteBuffer(F, p, o + ps + FL * 4, LE).fma(b, b1);
            c0 = FloatVector.fromByteBuffer(F, p, o + 2 * ps, LE).fma(b, c0);
            c1 = FloatVector.fromByteBuffer(F, p, o + 2 * ps + FL * 4, LE).fma(b, c1);
            d0 = FloatVector.fromByteBuffer(F, p, o + 3 * ps, LE).fma(b, d0);
            d1 = FloatVector.fromByteBuffer(F, p, o + 3 * ps + FL * 4, LE).fma(b, d1);
        }
        a0.intoArray(t, 0 * FL);
        a1.intoArray(t, 1 * FL);
        b0.intoArray(t, 2 * FL);
        b1.intoArray(t, 3 * FL);
        c0.intoArray(t, 4 * FL);
        c1.intoArray(t, 5 * FL);
        d0.intoArray(t, 6 * FL);
        d1.intoArray(t, 7 * FL);
    }
}
