package io.latentflow.engine.ops;

import io.latentflow.engine.tensor.Weight;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Int8 weights with one float32 scale per output row (per channel), in {@link PanelGemm}'s panel
 * order: half the bytes of BF16 for the memory-bound decode steps. Row r is stored as
 * {@code q[r][k] = round(w[r][k] / s_r)} with {@code s_r = max_k |w[r][k]| / 127}; a product sums
 * {@code q · x} in float32 and multiplies by {@code s_r} once at the end.
 *
 * <p>Layout: panel p holds, for every k, the NB bytes {@code q[p·NB .. p·NB + NB)[k]}; after all
 * panels come the scales, NB floats per panel (0 for rows past the end). A k-step of a panel is two
 * byte vectors of FL lanes, each widened to a float vector.
 */
final class Int8Panels {
    private static final VectorSpecies<Float> F = PanelGemm.F;
    private static final int FL = PanelGemm.FL;
    private static final int NB = PanelGemm.NB;
    /** FL bytes: widened lane for lane to one float vector. */
    private static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(FL * 8));
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private Int8Panels() {
    }

    /** Byte offset of the scales in a packed buffer of a weight with these rows and cols. */
    static int scalesOffset(int rows, int cols) {
        return ((rows + NB - 1) / NB) * cols * NB;
    }

    /** w quantised to int8 panels plus per-row scales, off-heap in the arena. */
    static ByteBuffer pack(Weight w, PackedArena arena) {
        int panels = (w.rows + NB - 1) / NB;
        int cols = w.cols;
        int scales = scalesOffset(w.rows, cols);
        ByteBuffer out = arena.allocate((long) scales + 4L * panels * NB);
        float[] row = new float[cols];
        for (int r = 0; r < w.rows; r++) {
            w.readRow(r, row, 0);
            float max = 0f;
            for (float v : row) {
                max = Math.max(max, Math.abs(v));
            }
            float s = max / 127f;
            float inv = s == 0f ? 0f : 1f / s;
            int p = r / NB;
            int j = r % NB;
            for (int k = 0; k < cols; k++) {
                int q = Math.round(row[k] * inv);
                out.put((p * cols + k) * NB + j, (byte) Math.max(-127, Math.min(127, q)));
            }
            out.putFloat(scales + 4 * r, s);
        }
        return out;
    }

    /** Multiplies mr rows of NB sums in t (row i at tOff + i·NB) by the scales of panel pi. */
    static void scale(ByteBuffer p, int scales, int pi, float[] t, int tOff, int mr) {
        FloatVector s0 = FloatVector.fromByteBuffer(F, p, scales + 4 * pi * NB, LE);
        FloatVector s1 = FloatVector.fromByteBuffer(F, p, scales + 4 * (pi * NB + FL), LE);
        for (int i = 0; i < mr; i++) {
            int o = tOff + i * NB;
            FloatVector.fromArray(F, t, o).mul(s0).intoArray(t, o);
            FloatVector.fromArray(F, t, o + FL).mul(s1).intoArray(t, o + FL);
        }
    }

    /**
     * kc steps of panel pi from byte po, dequantised (q · s per row) into stage as float32 bits in the
     * F32 panel order (NB floats per k), for {@link StagedPanels#f32x8}.
     */
    static void dequantize(ByteBuffer p, int po, int scales, int pi, int kc, int[] stage) {
        FloatVector s0 = FloatVector.fromByteBuffer(F, p, scales + 4 * pi * NB, LE);
        FloatVector s1 = FloatVector.fromByteBuffer(F, p, scales + 4 * (pi * NB + FL), LE);
        for (int k = 0; k < kc; k++) {
            int o = po + k * NB;
            widen(p, o).mul(s0).reinterpretAsInts().intoArray(stage, k * NB);
            widen(p, o + FL).mul(s1).reinterpretAsInts().intoArray(stage, k * NB + FL);
        }
    }

    private static FloatVector widen(ByteBuffer p, int o) {
        return (FloatVector) ByteVector.fromByteBuffer(B, p, o, LE).convertShape(VectorOperators.B2F, F, 0);
    }

    /** One token row × four panels (byte stride ps), as {@link PanelGemm}'s BF16 one: four streams. */
    static void x1p4(ByteBuffer p, int po, int ps, int kc, float[] x, int xo, float[] t) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, b0 = a0, b1 = a0, c0 = a0, c1 = a0, d0 = a0, d1 = a0;
        for (int k = 0; k < kc; k++) {
            int o = po + k * NB;
            FloatVector b = FloatVector.broadcast(F, x[xo + k]);
            a0 = widen(p, o).fma(b, a0);
            a1 = widen(p, o + FL).fma(b, a1);
            b0 = widen(p, o + ps).fma(b, b0);
            b1 = widen(p, o + ps + FL).fma(b, b1);
            c0 = widen(p, o + 2 * ps).fma(b, c0);
            c1 = widen(p, o + 2 * ps + FL).fma(b, c1);
            d0 = widen(p, o + 3 * ps).fma(b, d0);
            d1 = widen(p, o + 3 * ps + FL).fma(b, d1);
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

    /** One token row × one panel. */
    static void x1(ByteBuffer p, int po, int kc, float[] x, int xo, float[] t) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, c0 = a0, c1 = a0;
        int k = 0;
        for (; k + 1 < kc; k += 2) {
            int o = po + k * NB;
            FloatVector b = FloatVector.broadcast(F, x[xo + k]);
            FloatVector d = FloatVector.broadcast(F, x[xo + k + 1]);
            a0 = widen(p, o).fma(b, a0);
            a1 = widen(p, o + FL).fma(b, a1);
            c0 = widen(p, o + NB).fma(d, c0);
            c1 = widen(p, o + NB + FL).fma(d, c1);
        }
        if (k < kc) {
            int o = po + k * NB;
            FloatVector b = FloatVector.broadcast(F, x[xo + k]);
            a0 = widen(p, o).fma(b, a0);
            a1 = widen(p, o + FL).fma(b, a1);
        }
        a0.add(c0).intoArray(t, 0);
        a1.add(c1).intoArray(t, FL);
    }

    /**
     * The k order of the multi-row kernels: step i visits k = {@code stream(i, kc / 4)}, one step in
     * each quarter of the k range in turn, then the kc % 4 left over in order: four memory streams in
     * flight, as the BF16 kernels of PanelTiles (which spell the four out, a little faster than this
     * index).
     */
    static int stream(int i, int q) {
        return i < 4 * q ? (i & 3) * q + (i >> 2) : i;
    }

    /** 4 token rows × one panel, x tile as in PanelGemm (4 values per k), k in {@link #stream} order. */
    static void x4(ByteBuffer p, int po, int kc, float[] x, int xo, float[] t) {
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a10 = a00, a11 = a00;
        FloatVector a20 = a00, a21 = a00, a30 = a00, a31 = a00;
        int q = kc / 4;
        for (int i = 0; i < kc; i++) {
            int k = stream(i, q);
            int xk = xo + k * 4;
            int o = po + k * NB;
            FloatVector lo = widen(p, o);
            FloatVector hi = widen(p, o + FL);
            FloatVector b = FloatVector.broadcast(F, x[xk]);
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

    /** 8 token rows × one panel, k in {@link #stream} order. */
    static void x8(ByteBuffer p, int po, int kc, float[] x, int xo, float[] t) {
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a10 = a00, a11 = a00;
        FloatVector a20 = a00, a21 = a00, a30 = a00, a31 = a00;
        FloatVector a40 = a00, a41 = a00, a50 = a00, a51 = a00;
        FloatVector a60 = a00, a61 = a00, a70 = a00, a71 = a00;
        int q = kc / 4;
        for (int i = 0; i < kc; i++) {
            int k = stream(i, q);
            int xk = xo + k * 8;
            int o = po + k * NB;
            FloatVector lo = widen(p, o);
            FloatVector hi = widen(p, o + FL);
            FloatVector b = FloatVector.broadcast(F, x[xk]);
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
