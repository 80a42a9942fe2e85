package io.latentflow.engine.ops;

import io.latentflow.engine.tensor.DType;
import io.latentflow.engine.tensor.Weight;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code y[b][r] = Σ_k w[r][k] · x[b][k]} over weights packed once at load into column panels, as an
 * outer-product GEMM: a register tile of up to {@value #MR} token rows × {@link #NB} weight rows
 * (two float vectors) keeps 16 accumulators; per k one panel load feeds 2·MR fused multiply-adds
 * with broadcast x values. The row-dot-product kernels of {@link VectorOps} re-stream x for every
 * 4-row weight tile; here each panel element is loaded once per token tile.
 *
 * <p>Panel layout: weight rows in blocks of NB = 2 · lanes; block p holds, for every k, the column
 * {@code w[p·NB .. p·NB + NB)[k]} contiguously (rows past the end are zero).
 * <ul>
 *   <li>F32: NB floats per k.</li>
 *   <li>BF16: lanes ints per k; int lane j = {@code bf16(w[p·NB + j][k]) | bf16(w[p·NB + lanes + j][k]) << 16},
 *   so {@code v << 16} gives the first vector and {@code v & 0xFFFF0000} the second: the split is
 *   two integer ops and the panel keeps BF16's half of the memory traffic.</li>
 * </ul>
 * Loops: k in blocks of {@value #KC} (x rows of a block stay in L1/L2), tokens in blocks of
 * {@value #MC} (the panel segment stays in L2 while all token tiles use it), panels split across
 * threads.
 */
final class PanelGemm {
    static final VectorSpecies<Float> F = VectorOps.F;
    static final VectorSpecies<Integer> I = VectorOps.I;
    static final int FL = F.length();
    /** Weight rows per panel: two float vectors. */
    static final int NB = 2 * FL;
    /** Token rows of the largest register tile. */
    static final int MR = 8;
    static final int KC = 1024;
    static final int MC = 128;

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final int HIGH = 0xFFFF0000;

    private PanelGemm() {
    }

    static boolean packable(DType dt) {
        return dt == DType.F32 || dt == DType.BF16;
    }

    /** Bytes of one k-step of a panel. */
    private static int stepBytes(DType dt) {
        return dt == DType.F32 ? NB * 4 : FL * 4;
    }

    /** w's values in panel layout, off-heap (a direct buffer; never a heap copy of the model). */
    static ByteBuffer pack(Weight w) {
        int panels = (w.rows + NB - 1) / NB;
        int cols = w.cols;
        long bytes = (long) panels * cols * stepBytes(w.dtype);
        ByteBuffer out = ByteBuffer.allocateDirect(Math.toIntExact(bytes)).order(LE);
        ByteBuffer src = w.bytes();
        for (int p = 0; p < panels; p++) {
            for (int j = 0; j < NB; j++) {
                int r = p * NB + j;
                if (r >= w.rows) {
                    break; // direct buffers start zeroed
                }
                for (int k = 0; k < cols; k++) {
                    long step = ((long) p * cols + k) * stepBytes(w.dtype);
                    if (w.dtype == DType.F32) {
                        out.putFloat((int) (step + 4L * j), src.getFloat((r * cols + k) * 4));
                    } else {
                        // row j < FL: low half of int lane j; row FL + j: high half of lane j
                        int lane = j % FL;
                        int half = j / FL;
                        out.putShort((int) (step + 4L * lane + 2L * half), src.getShort((r * cols + k) * 2));
                    }
                }
            }
        }
        return out;
    }

    /** The matmul of {@link Ops#matmul} on w's packed panels. */
    static void matmul(ParallelRows pool, Weight w, float[] x, int xOff, int xStride, float[] y, int yOff,
                       int yStride, int batch) {
        ByteBuffer p = w.packed();
        int panels = (w.rows + NB - 1) / NB;
        boolean bf16 = w.dtype == DType.BF16;
        long work = (long) w.rows * w.cols * batch;
        pool.forRows(panels, 1, work, (p0, p1) ->
                range(p, bf16, w.rows, w.cols, p0, p1, x, xOff, xStride, y, yOff, yStride, batch));
    }

    /** Panels [p0, p1) for all tokens. */
    private static void range(ByteBuffer p, boolean bf16, int rows, int cols, int p0, int p1, float[] x, int xOff,
                              int xStride, float[] y, int yOff, int yStride, int batch) {
        int step = bf16 ? FL * 4 : NB * 4;
        for (int k0 = 0; k0 < cols; k0 += KC) {
            int kc = Math.min(KC, cols - k0);
            boolean acc = k0 > 0; // later k-blocks add to the partial sums in y
            for (int m0 = 0; m0 < batch; m0 += MC) {
                int m1 = Math.min(batch, m0 + MC);
                for (int pi = p0; pi < p1; pi++) {
                    int po = (pi * cols + k0) * step;
                    int valid = Math.min(NB, rows - pi * NB);
                    int m = m0;
                    while (m < m1) {
                        int xo = xOff + m * xStride + k0;
                        int yo = yOff + m * yStride + pi * NB;
                        int left = m1 - m;
                        if (left >= 8) {
                            if (bf16) {
                                bf16x8(p, po, kc, x, xo, xStride, y, yo, yStride, valid, acc);
                            } else {
                                f32x8(p, po, kc, x, xo, xStride, y, yo, yStride, valid, acc);
                            }
                            m += 8;
                        } else if (left >= 4) {
                            if (bf16) {
                                bf16x4(p, po, kc, x, xo, xStride, y, yo, yStride, valid, acc);
                            } else {
                                f32x4(p, po, kc, x, xo, xStride, y, yo, yStride, valid, acc);
                            }
                            m += 4;
                        } else {
                            if (bf16) {
                                bf16x1(p, po, kc, x, xo, y, yo, valid, acc);
                            } else {
                                f32x1(p, po, kc, x, xo, y, yo, valid, acc);
                            }
                            m += 1;
                        }
                    }
                }
            }
        }
    }

    // ---- tile loads and stores: full panels use plain vectors, the last (short) one masks -----------

    private static FloatVector load(float[] y, int off, int half, int valid, boolean acc) {
        if (!acc) {
            return FloatVector.zero(F);
        }
        if (valid == NB) {
            return FloatVector.fromArray(F, y, off + half * FL);
        }
        VectorMask<Float> m = F.indexInRange(half * FL, valid);
        return FloatVector.fromArray(F, y, off + half * FL, m);
    }

    private static void store(FloatVector v, float[] y, int off, int half, int valid) {
        if (valid == NB) {
            v.intoArray(y, off + half * FL);
        } else {
            v.intoArray(y, off + half * FL, F.indexInRange(half * FL, valid));
        }
    }

    // ---- BF16 micro-kernels ------------------------------------------------------------------------

    /** 8 token rows × NB weight rows over kc steps of the panel at byte po. */
    private static void bf16x8(ByteBuffer p, int po, int kc, float[] x, int xo, int xs, float[] y, int yo, int ys,
                               int valid, boolean acc) {
        FloatVector a00 = load(y, yo, 0, valid, acc), a01 = load(y, yo, 1, valid, acc);
        FloatVector a10 = load(y, yo + ys, 0, valid, acc), a11 = load(y, yo + ys, 1, valid, acc);
        FloatVector a20 = load(y, yo + 2 * ys, 0, valid, acc), a21 = load(y, yo + 2 * ys, 1, valid, acc);
        FloatVector a30 = load(y, yo + 3 * ys, 0, valid, acc), a31 = load(y, yo + 3 * ys, 1, valid, acc);
        FloatVector a40 = load(y, yo + 4 * ys, 0, valid, acc), a41 = load(y, yo + 4 * ys, 1, valid, acc);
        FloatVector a50 = load(y, yo + 5 * ys, 0, valid, acc), a51 = load(y, yo + 5 * ys, 1, valid, acc);
        FloatVector a60 = load(y, yo + 6 * ys, 0, valid, acc), a61 = load(y, yo + 6 * ys, 1, valid, acc);
        FloatVector a70 = load(y, yo + 7 * ys, 0, valid, acc), a71 = load(y, yo + 7 * ys, 1, valid, acc);
        int x0 = xo, x1 = xo + xs, x2 = xo + 2 * xs, x3 = xo + 3 * xs;
        int x4 = xo + 4 * xs, x5 = xo + 5 * xs, x6 = xo + 6 * xs, x7 = xo + 7 * xs;
        for (int k = 0; k < kc; k++) {
            IntVector v = IntVector.fromByteBuffer(I, p, po + k * FL * 4, LE);
            FloatVector lo = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            FloatVector hi = v.and(HIGH).reinterpretAsFloats();
            FloatVector b = FloatVector.broadcast(F, x[x0 + k]);
            a00 = lo.fma(b, a00);
            a01 = hi.fma(b, a01);
            b = FloatVector.broadcast(F, x[x1 + k]);
            a10 = lo.fma(b, a10);
            a11 = hi.fma(b, a11);
            b = FloatVector.broadcast(F, x[x2 + k]);
            a20 = lo.fma(b, a20);
            a21 = hi.fma(b, a21);
            b = FloatVector.broadcast(F, x[x3 + k]);
            a30 = lo.fma(b, a30);
            a31 = hi.fma(b, a31);
            b = FloatVector.broadcast(F, x[x4 + k]);
            a40 = lo.fma(b, a40);
            a41 = hi.fma(b, a41);
            b = FloatVector.broadcast(F, x[x5 + k]);
            a50 = lo.fma(b, a50);
            a51 = hi.fma(b, a51);
            b = FloatVector.broadcast(F, x[x6 + k]);
            a60 = lo.fma(b, a60);
            a61 = hi.fma(b, a61);
            b = FloatVector.broadcast(F, x[x7 + k]);
            a70 = lo.fma(b, a70);
            a71 = hi.fma(b, a71);
        }
        store(a00, y, yo, 0, valid);
        store(a01, y, yo, 1, valid);
        store(a10, y, yo + ys, 0, valid);
        store(a11, y, yo + ys, 1, valid);
        store(a20, y, yo + 2 * ys, 0, valid);
        store(a21, y, yo + 2 * ys, 1, valid);
        store(a30, y, yo + 3 * ys, 0, valid);
        store(a31, y, yo + 3 * ys, 1, valid);
        store(a40, y, yo + 4 * ys, 0, valid);
        store(a41, y, yo + 4 * ys, 1, valid);
        store(a50, y, yo + 5 * ys, 0, valid);
        store(a51, y, yo + 5 * ys, 1, valid);
        store(a60, y, yo + 6 * ys, 0, valid);
        store(a61, y, yo + 6 * ys, 1, valid);
        store(a70, y, yo + 7 * ys, 0, valid);
        store(a71, y, yo + 7 * ys, 1, valid);
    }

    /** 4 token rows × NB weight rows. */
    private static void bf16x4(ByteBuffer p, int po, int kc, float[] x, int xo, int xs, float[] y, int yo, int ys,
                               int valid, boolean acc) {
        FloatVector a00 = load(y, yo, 0, valid, acc), a01 = load(y, yo, 1, valid, acc);
        FloatVector a10 = load(y, yo + ys, 0, valid, acc), a11 = load(y, yo + ys, 1, valid, acc);
        FloatVector a20 = load(y, yo + 2 * ys, 0, valid, acc), a21 = load(y, yo + 2 * ys, 1, valid, acc);
        FloatVector a30 = load(y, yo + 3 * ys, 0, valid, acc), a31 = load(y, yo + 3 * ys, 1, valid, acc);
        int x0 = xo, x1 = xo + xs, x2 = xo + 2 * xs, x3 = xo + 3 * xs;
        for (int k = 0; k < kc; k++) {
            IntVector v = IntVector.fromByteBuffer(I, p, po + k * FL * 4, LE);
            FloatVector lo = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            FloatVector hi = v.and(HIGH).reinterpretAsFloats();
            FloatVector b = FloatVector.broadcast(F, x[x0 + k]);
            a00 = lo.fma(b, a00);
            a01 = hi.fma(b, a01);
            b = FloatVector.broadcast(F, x[x1 + k]);
            a10 = lo.fma(b, a10);
            a11 = hi.fma(b, a11);
            b = FloatVector.broadcast(F, x[x2 + k]);
            a20 = lo.fma(b, a20);
            a21 = hi.fma(b, a21);
            b = FloatVector.broadcast(F, x[x3 + k]);
            a30 = lo.fma(b, a30);
            a31 = hi.fma(b, a31);
        }
        store(a00, y, yo, 0, valid);
        store(a01, y, yo, 1, valid);
        store(a10, y, yo + ys, 0, valid);
        store(a11, y, yo + ys, 1, valid);
        store(a20, y, yo + 2 * ys, 0, valid);
        store(a21, y, yo + 2 * ys, 1, valid);
        store(a30, y, yo + 3 * ys, 0, valid);
        store(a31, y, yo + 3 * ys, 1, valid);
    }

    /**
     * One token row: memory-bound (a matrix-vector product), so k is unrolled by two into separate
     * accumulators to keep the FMA latency chain off the critical path.
     */
    private static void bf16x1(ByteBuffer p, int po, int kc, float[] x, int xo, float[] y, int yo, int valid,
                               boolean acc) {
        FloatVector a0 = load(y, yo, 0, valid, acc), a1 = load(y, yo, 1, valid, acc);
        FloatVector c0 = FloatVector.zero(F), c1 = FloatVector.zero(F);
        int k = 0;
        for (; k + 1 < kc; k += 2) {
            IntVector v = IntVector.fromByteBuffer(I, p, po + k * FL * 4, LE);
            IntVector u = IntVector.fromByteBuffer(I, p, po + (k + 1) * FL * 4, LE);
            FloatVector b = FloatVector.broadcast(F, x[xo + k]);
            FloatVector d = FloatVector.broadcast(F, x[xo + k + 1]);
            a0 = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(b, a0);
            a1 = v.and(HIGH).reinterpretAsFloats().fma(b, a1);
            c0 = u.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(d, c0);
            c1 = u.and(HIGH).reinterpretAsFloats().fma(d, c1);
        }
        if (k < kc) {
            IntVector v = IntVector.fromByteBuffer(I, p, po + k * FL * 4, LE);
            FloatVector b = FloatVector.broadcast(F, x[xo + k]);
            a0 = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(b, a0);
            a1 = v.and(HIGH).reinterpretAsFloats().fma(b, a1);
        }
        store(a0.add(c0), y, yo, 0, valid);
        store(a1.add(c1), y, yo, 1, valid);
    }

    // ---- F32 micro-kernels: as the BF16 ones, two float vectors loaded per k ------------------------

    private static void f32x8(ByteBuffer p, int po, int kc, float[] x, int xo, int xs, float[] y, int yo, int ys,
                              int valid, boolean acc) {
        FloatVector a00 = load(y, yo, 0, valid, acc), a01 = load(y, yo, 1, valid, acc);
        FloatVector a10 = load(y, yo + ys, 0, valid, acc), a11 = load(y, yo + ys, 1, valid, acc);
        FloatVector a20 = load(y, yo + 2 * ys, 0, valid, acc), a21 = load(y, yo + 2 * ys, 1, valid, acc);
        FloatVector a30 = load(y, yo + 3 * ys, 0, valid, acc), a31 = load(y, yo + 3 * ys, 1, valid, acc);
        FloatVector a40 = load(y, yo + 4 * ys, 0, valid, acc), a41 = load(y, yo + 4 * ys, 1, valid, acc);
        FloatVector a50 = load(y, yo + 5 * ys, 0, valid, acc), a51 = load(y, yo + 5 * ys, 1, valid, acc);
        FloatVector a60 = load(y, yo + 6 * ys, 0, valid, acc), a61 = load(y, yo + 6 * ys, 1, valid, acc);
        FloatVector a70 = load(y, yo + 7 * ys, 0, valid, acc), a71 = load(y, yo + 7 * ys, 1, valid, acc);
        int x0 = xo, x1 = xo + xs, x2 = xo + 2 * xs, x3 = xo + 3 * xs;
        int x4 = xo + 4 * xs, x5 = xo + 5 * xs, x6 = xo + 6 * xs, x7 = xo + 7 * xs;
        for (int k = 0; k < kc; k++) {
            int o = po + k * NB * 4;
            FloatVector lo = FloatVector.fromByteBuffer(F, p, o, LE);
            FloatVector hi = FloatVector.fromByteBuffer(F, p, o + FL * 4, LE);
            FloatVector b = FloatVector.broadcast(F, x[x0 + k]);
            a00 = lo.fma(b, a00);
            a01 = hi.fma(b, a01);
            b = FloatVector.broadcast(F, x[x1 + k]);
            a10 = lo.fma(b, a10);
            a11 = hi.fma(b, a11);
            b = FloatVector.broadcast(F, x[x2 + k]);
            a20 = lo.fma(b, a20);
            a21 = hi.fma(b, a21);
            b = FloatVector.broadcast(F, x[x3 + k]);
            a30 = lo.fma(b, a30);
            a31 = hi.fma(b, a31);
            b = FloatVector.broadcast(F, x[x4 + k]);
            a40 = lo.fma(b, a40);
            a41 = hi.fma(b, a41);
            b = FloatVector.broadcast(F, x[x5 + k]);
            a50 = lo.fma(b, a50);
            a51 = hi.fma(b, a51);
            b = FloatVector.broadcast(F, x[x6 + k]);
            a60 = lo.fma(b, a60);
            a61 = hi.fma(b, a61);
            b = FloatVector.broadcast(F, x[x7 + k]);
            a70 = lo.fma(b, a70);
            a71 = hi.fma(b, a71);
        }
        store(a00, y, yo, 0, valid);
        store(a01, y, yo, 1, valid);
        store(a10, y, yo + ys, 0, valid);
        store(a11, y, yo + ys, 1, valid);
        store(a20, y, yo + 2 * ys, 0, valid);
        store(a21, y, yo + 2 * ys, 1, valid);
        store(a30, y, yo + 3 * ys, 0, valid);
        store(a31, y, yo + 3 * ys, 1, valid);
        store(a40, y, yo + 4 * ys, 0, valid);
        store(a41, y, yo + 4 * ys, 1, valid);
        store(a50, y, yo + 5 * ys, 0, valid);
        store(a51, y, yo + 5 * ys, 1, valid);
        store(a60, y, yo + 6 * ys, 0, valid);
        store(a61, y, yo + 6 * ys, 1, valid);
        store(a70, y, yo + 7 * ys, 0, valid);
        store(a71, y, yo + 7 * ys, 1, valid);
    }

    private static void f32x4(ByteBuffer p, int po, int kc, float[] x, int xo, int xs, float[] y, int yo, int ys,
                              int valid, boolean acc) {
        FloatVector a00 = load(y, yo, 0, valid, acc), a01 = load(y, yo, 1, valid, acc);
        FloatVector a10 = load(y, yo + ys, 0, valid, acc), a11 = load(y, yo + ys, 1, valid, acc);
        FloatVector a20 = load(y, yo + 2 * ys, 0, valid, acc), a21 = load(y, yo + 2 * ys, 1, valid, acc);
        FloatVector a30 = load(y, yo + 3 * ys, 0, valid, acc), a31 = load(y, yo + 3 * ys, 1, valid, acc);
        int x0 = xo, x1 = xo + xs, x2 = xo + 2 * xs, x3 = xo + 3 * xs;
        for (int k = 0; k < kc; k++) {
            int o = po + k * NB * 4;
            FloatVector lo = FloatVector.fromByteBuffer(F, p, o, LE);
            FloatVector hi = FloatVector.fromByteBuffer(F, p, o + FL * 4, LE);
            FloatVector b = FloatVector.broadcast(F, x[x0 + k]);
            a00 = lo.fma(b, a00);
            a01 = hi.fma(b, a01);
            b = FloatVector.broadcast(F, x[x1 + k]);
            a10 = lo.fma(b, a10);
            a11 = hi.fma(b, a11);
            b = FloatVector.broadcast(F, x[x2 + k]);
            a20 = lo.fma(b, a20);
            a21 = hi.fma(b, a21);
            b = FloatVector.broadcast(F, x[x3 + k]);
            a30 = lo.fma(b, a30);
            a31 = hi.fma(b, a31);
        }
        store(a00, y, yo, 0, valid);
        store(a01, y, yo, 1, valid);
        store(a10, y, yo + ys, 0, valid);
        store(a11, y, yo + ys, 1, valid);
        store(a20, y, yo + 2 * ys, 0, valid);
        store(a21, y, yo + 2 * ys, 1, valid);
        store(a30, y, yo + 3 * ys, 0, valid);
        store(a31, y, yo + 3 * ys, 1, valid);
    }

    private static void f32x1(ByteBuffer p, int po, int kc, float[] x, int xo, float[] y, int yo, int valid,
                              boolean acc) {
        FloatVector a0 = load(y, yo, 0, valid, acc), a1 = load(y, yo, 1, valid, acc);
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
        store(a0.add(c0), y, yo, 0, valid);
        store(a1.add(c1), y, yo, 1, valid);
    }
}
