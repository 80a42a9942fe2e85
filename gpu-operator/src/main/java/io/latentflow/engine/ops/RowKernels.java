package io.latentflow.engine.ops;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector kernels over activation rows in float[] (MLA's cached latents): {@link Ops#rowProducts} and
 * {@link Ops#addWeightedRows}. A decode step attends every query head over every cached position;
 * one dot and one axpy call per (head, position) spent most of their time on call overhead and
 * horizontal sums. Here one loaded cache row serves several heads and several rows share the
 * horizontal sums' latency.
 */
final class RowKernels {
    private static final VectorSpecies<Float> F = VectorOps.F;
    private static final int FL = F.length();

    private RowKernels() {
    }

    static void rowProducts(float[] a, int aOff, int aStride, int n, int cols, float[] x, int xOff, int xStride,
                            float[] y, int yOff, int yStride, int batch) {
        int vec = F.loopBound(cols);
        // tiles of four rows a quarter of [0, n) apart: four memory streams, as the cached rows of a
        // layer are usually out of cache by the time its attention runs
        int q = n / 4;
        for (int j = 0; j < q; j++) {
            int a0 = aOff + j * aStride;
            int a1 = a0 + q * aStride;
            int a2 = a1 + q * aStride;
            int a3 = a2 + q * aStride;
            int b = 0;
            for (; b + 2 <= batch; b += 2) {
                int xo = xOff + b * xStride;
                int xp = xo + xStride;
                // four cached rows against two query rows: eight independent FMA chains, each loaded
                // cache vector feeds two of them
                FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
                FloatVector t0 = s0, t1 = s0, t2 = s0, t3 = s0;
                for (int k = 0; k < vec; k += FL) {
                    FloatVector xv = FloatVector.fromArray(F, x, xo + k);
                    FloatVector xw = FloatVector.fromArray(F, x, xp + k);
                    FloatVector v0 = FloatVector.fromArray(F, a, a0 + k);
                    FloatVector v1 = FloatVector.fromArray(F, a, a1 + k);
                    FloatVector v2 = FloatVector.fromArray(F, a, a2 + k);
                    FloatVector v3 = FloatVector.fromArray(F, a, a3 + k);
                    s0 = v0.fma(xv, s0);
                    s1 = v1.fma(xv, s1);
                    s2 = v2.fma(xv, s2);
                    s3 = v3.fma(xv, s3);
                    t0 = v0.fma(xw, t0);
                    t1 = v1.fma(xw, t1);
                    t2 = v2.fma(xw, t2);
                    t3 = v3.fma(xw, t3);
                }
                float r0 = s0.reduceLanes(VectorOperators.ADD);
                float r1 = s1.reduceLanes(VectorOperators.ADD);
                float r2 = s2.reduceLanes(VectorOperators.ADD);
                float r3 = s3.reduceLanes(VectorOperators.ADD);
                float u0 = t0.reduceLanes(VectorOperators.ADD);
                float u1 = t1.reduceLanes(VectorOperators.ADD);
                float u2 = t2.reduceLanes(VectorOperators.ADD);
                float u3 = t3.reduceLanes(VectorOperators.ADD);
                for (int k = vec; k < cols; k++) {
                    float xk = x[xo + k];
                    float xl = x[xp + k];
                    r0 += a[a0 + k] * xk;
                    r1 += a[a1 + k] * xk;
                    r2 += a[a2 + k] * xk;
                    r3 += a[a3 + k] * xk;
                    u0 += a[a0 + k] * xl;
                    u1 += a[a1 + k] * xl;
                    u2 += a[a2 + k] * xl;
                    u3 += a[a3 + k] * xl;
                }
                int yo = yOff + b * yStride + j;
                y[yo] = r0;
                y[yo + q] = r1;
                y[yo + 2 * q] = r2;
                y[yo + 3 * q] = r3;
                int yp = yo + yStride;
                y[yp] = u0;
                y[yp + q] = u1;
                y[yp + 2 * q] = u2;
                y[yp + 3 * q] = u3;
            }
            for (; b < batch; b++) {
                int xo = xOff + b * xStride;
                // four cached rows against one query row: each x vector feeds four FMAs
                FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
                for (int k = 0; k < vec; k += FL) {
                    FloatVector xv = FloatVector.fromArray(F, x, xo + k);
                    s0 = FloatVector.fromArray(F, a, a0 + k).fma(xv, s0);
                    s1 = FloatVector.fromArray(F, a, a1 + k).fma(xv, s1);
                    s2 = FloatVector.fromArray(F, a, a2 + k).fma(xv, s2);
                    s3 = FloatVector.fromArray(F, a, a3 + k).fma(xv, s3);
                }
                float r0 = s0.reduceLanes(VectorOperators.ADD);
                float r1 = s1.reduceLanes(VectorOperators.ADD);
                float r2 = s2.reduceLanes(VectorOperators.ADD);
                float r3 = s3.reduceLanes(VectorOperators.ADD);
                for (int k = vec; k < cols; k++) {
                    float xk = x[xo + k];
                    r0 += a[a0 + k] * xk;
                    r1 += a[a1 + k] * xk;
                    r2 += a[a2 + k] * xk;
                    r3 += a[a3 + k] * xk;
                }
                int yo = yOff + b * yStride + j;
                y[yo] = r0;
                y[yo + q] = r1;
                y[yo + 2 * q] = r2;
                y[yo + 3 * q] = r3;
            }
        }
        for (int t = 4 * q; t < n; t++) {
            int at = aOff + t * aStride;
            for (int b = 0; b < batch; b++) {
                int xo = xOff + b * xStride;
                FloatVector s = FloatVector.zero(F);
                for (int k = 0; k < vec; k += FL) {
                    s = FloatVector.fromArray(F, a, at + k).fma(FloatVector.fromArray(F, x, xo + k), s);
                }
                float r = s.reduceLanes(VectorOperators.ADD);
                for (int k = vec; k < cols; k++) {
                    r += a[at + k] * x[xo + k];
                }
                y[yOff + b * yStride + t] = r;
            }
        }
    }

    /**
     * Cached rows per block of {@link #addWeightedRows}: 32 rows of a 288-float latent cache are
     * 36 KiB, which stay in L1 while every tile of the block reads them.
     */
    private static final int ROW_BLOCK = 32;
    /** Column vectors per tile: 4 × 4 sums with 32 vector registers, 4 × 2 with 16 (no spills). */
    private static final int TILE_VECTORS = VectorOps.REGISTERS >= 32 ? 4 : 2;

    /**
     * {@code y_b += Σ_t p_b[t] · a_t}: a small GEMM, y (batch × cols) += P (batch × n) · A (n × cols).
     * The cached rows go in blocks of {@link #ROW_BLOCK}; within a block, tiles of four output rows
     * × {@link #TILE_VECTORS} column vectors keep their sums in registers across the block's rows,
     * each loaded cache vector feeding four multiply-adds. Two earlier forms each lost to it: sums in
     * registers over all n rows, one column vector at a time, read every row's lines again at every
     * column pass (4 heads × 144 rows out of cache: 65–73 µs), and row by row across all columns
     * (16–23 µs) loaded and stored the output rows at every step. One thread, 8 heads × 160 rows ×
     * 256 columns in cache on a Xeon (Emerald Rapids): 10–12 µs against 15–16 and 18–19; 4 heads
     * 3.5 against 4.0 and 6.2; out of cache no slower than row by row.
     */
    static void addWeightedRows(float[] p, int pOff, int pStride, float[] a, int aOff, int aStride, int n, int cols,
                                float[] y, int yOff, int yStride, int batch) {
        int wide = TILE_VECTORS * FL;
        int vw = cols / wide * wide;
        int vec = F.loopBound(cols);
        int fours = batch / 4 * 4;
        for (int t0 = 0; t0 < n; t0 += ROW_BLOCK) {
            int t1 = Math.min(n, t0 + ROW_BLOCK);
            for (int b = 0; b < fours; b += 4) {
                int p0 = pOff + b * pStride;
                int y0 = yOff + b * yStride;
                for (int d = 0; d < vw; d += wide) {
                    if (TILE_VECTORS == 4) {
                        fourByFour(p, p0, pStride, a, aOff, aStride, t0, t1, d, y, y0, yStride);
                    } else {
                        fourByTwo(p, p0, pStride, a, aOff, aStride, t0, t1, d, y, y0, yStride);
                    }
                }
                for (int d = vw; d < vec; d += FL) {
                    fourByOne(p, p0, pStride, a, aOff, aStride, t0, t1, d, y, y0, yStride);
                }
                for (int d = vec; d < cols; d++) {
                    for (int i = 0; i < 4; i++) {
                        float r = 0;
                        for (int t = t0; t < t1; t++) {
                            r += p[p0 + i * pStride + t] * a[aOff + t * aStride + d];
                        }
                        y[y0 + i * yStride + d] += r;
                    }
                }
            }
            for (int b = fours; b < batch; b++) {
                int pb = pOff + b * pStride;
                for (int t = t0; t < t1; t++) {
                    axpy(p[pb + t], a, aOff + t * aStride, y, yOff + b * yStride, cols);
                }
            }
        }
    }

    /** Output rows y0..y3 (ys apart) × column vectors d..d+3 over cached rows [t0, t1): 16 sums. */
    private static void fourByFour(float[] p, int p0, int ps, float[] a, int aOff, int as, int t0, int t1, int d,
                                   float[] y, int y0, int ys) {
        int y1 = y0 + ys;
        int y2 = y1 + ys;
        int y3 = y2 + ys;
        FloatVector s00 = FloatVector.fromArray(F, y, y0 + d), s01 = FloatVector.fromArray(F, y, y0 + d + FL);
        FloatVector s02 = FloatVector.fromArray(F, y, y0 + d + 2 * FL), s03 = FloatVector.fromArray(F, y, y0 + d + 3 * FL);
        FloatVector s10 = FloatVector.fromArray(F, y, y1 + d), s11 = FloatVector.fromArray(F, y, y1 + d + FL);
        FloatVector s12 = FloatVector.fromArray(F, y, y1 + d + 2 * FL), s13 = FloatVector.fromArray(F, y, y1 + d + 3 * FL);
        FloatVector s20 = FloatVector.fromArray(F, y, y2 + d), s21 = FloatVector.fromArray(F, y, y2 + d + FL);
        FloatVector s22 = FloatVector.fromArray(F, y, y2 + d + 2 * FL), s23 = FloatVector.fromArray(F, y, y2 + d + 3 * FL);
        FloatVector s30 = FloatVector.fromArray(F, y, y3 + d), s31 = FloatVector.fromArray(F, y, y3 + d + FL);
        FloatVector s32 = FloatVector.fromArray(F, y, y3 + d + 2 * FL), s33 = FloatVector.fromArray(F, y, y3 + d + 3 * FL);
        for (int t = t0, at = aOff + t0 * as + d; t < t1; t++, at += as) {
            FloatVector a0 = FloatVector.fromArray(F, a, at), a1 = FloatVector.fromArray(F, a, at + FL);
            FloatVector a2 = FloatVector.fromArray(F, a, at + 2 * FL), a3 = FloatVector.fromArray(F, a, at + 3 * FL);
            FloatVector w = FloatVector.broadcast(F, p[p0 + t]);
            s00 = a0.fma(w, s00);
            s01 = a1.fma(w, s01);
            s02 = a2.fma(w, s02);
            s03 = a3.fma(w, s03);
            w = FloatVector.broadcast(F, p[p0 + ps + t]);
            s10 = a0.fma(w, s10);
            s11 = a1.fma(w, s11);
            s12 = a2.fma(w, s12);
            s13 = a3.fma(w, s13);
            w = FloatVector.broadcast(F, p[p0 + 2 * ps + t]);
            s20 = a0.fma(w, s20);
            s21 = a1.fma(w, s21);
            s22 = a2.fma(w, s22);
            s23 = a3.fma(w, s23);
            w = FloatVector.broadcast(F, p[p0 + 3 * ps + t]);
            s30 = a0.fma(w, s30);
            s31 = a1.fma(w, s31);
            s32 = a2.fma(w, s32);
            s33 = a3.fma(w, s33);
        }
        s00.intoArray(y, y0 + d);
        s01.intoArray(y, y0 + d + FL);
        s02.intoArray(y, y0 + d + 2 * FL);
        s03.intoArray(y, y0 + d + 3 * FL);
        s10.intoArray(y, y1 + d);
        s11.intoArray(y, y1 + d + FL);
        s12.intoArray(y, y1 + d + 2 * FL);
        s13.intoArray(y, y1 + d + 3 * FL);
        s20.intoArray(y, y2 + d);
        s21.intoArray(y, y2 + d + FL);
        s22.intoArray(y, y2 + d + 2 * FL);
        s23.intoArray(y, y2 + d + 3 * FL);
        s30.intoArray(y, y3 + d);
        s31.intoArray(y, y3 + d + FL);
        s32.intoArray(y, y3 + d + 2 * FL);
        s33.intoArray(y, y3 + d + 3 * FL);
    }

    /** As {@link #fourByFour} with two column vectors: 8 sums, for 16 vector registers. */
    private static void fourByTwo(float[] p, int p0, int ps, float[] a, int aOff, int as, int t0, int t1, int d,
                                  float[] y, int y0, int ys) {
        int y1 = y0 + ys;
        int y2 = y1 + ys;
        int y3 = y2 + ys;
        FloatVector s00 = FloatVector.fromArray(F, y, y0 + d), s01 = FloatVector.fromArray(F, y, y0 + d + FL);
        FloatVector s10 = FloatVector.fromArray(F, y, y1 + d), s11 = FloatVector.fromArray(F, y, y1 + d + FL);
        FloatVector s20 = FloatVector.fromArray(F, y, y2 + d), s21 = FloatVector.fromArray(F, y, y2 + d + FL);
        FloatVector s30 = FloatVector.fromArray(F, y, y3 + d), s31 = FloatVector.fromArray(F, y, y3 + d + FL);
        for (int t = t0, at = aOff + t0 * as + d; t < t1; t++, at += as) {
            FloatVector a0 = FloatVector.fromArray(F, a, at), a1 = FloatVector.fromArray(F, a, at + FL);
            FloatVector w = FloatVector.broadcast(F, p[p0 + t]);
            s00 = a0.fma(w, s00);
            s01 = a1.fma(w, s01);
            w = FloatVector.broadcast(F, p[p0 + ps + t]);
            s10 = a0.fma(w, s10);
            s11 = a1.fma(w, s11);
            w = FloatVector.broadcast(F, p[p0 + 2 * ps + t]);
            s20 = a0.fma(w, s20);
            s21 = a1.fma(w, s21);
            w = FloatVector.broadcast(F, p[p0 + 3 * ps + t]);
            s30 = a0.fma(w, s30);
            s31 = a1.fma(w, s31);
        }
        s00.intoArray(y, y0 + d);
        s01.intoArray(y, y0 + d + FL);
        s10.intoArray(y, y1 + d);
        s11.intoArray(y, y1 + d + FL);
        s20.intoArray(y, y2 + d);
        s21.intoArray(y, y2 + d + FL);
        s30.intoArray(y, y3 + d);
        s31.intoArray(y, y3 + d + FL);
    }

    /** As {@link #fourByFour} with one column vector: a row's last vectors. */
    private static void fourByOne(float[] p, int p0, int ps, float[] a, int aOff, int as, int t0, int t1, int d,
                                  float[] y, int y0, int ys) {
        int y1 = y0 + ys;
        int y2 = y1 + ys;
        int y3 = y2 + ys;
        FloatVector s0 = FloatVector.fromArray(F, y, y0 + d);
        FloatVector s1 = FloatVector.fromArray(F, y, y1 + d);
        FloatVector s2 = FloatVector.fromArray(F, y, y2 + d);
        FloatVector s3 = FloatVector.fromArray(F, y, y3 + d);
        for (int t = t0, at = aOff + t0 * as + d; t < t1; t++, at += as) {
            FloatVector av = FloatVector.fromArray(F, a, at);
            s0 = av.fma(FloatVector.broadcast(F, p[p0 + t]), s0);
            s1 = av.fma(FloatVector.broadcast(F, p[p0 + ps + t]), s1);
            s2 = av.fma(FloatVector.broadcast(F, p[p0 + 2 * ps + t]), s2);
            s3 = av.fma(FloatVector.broadcast(F, p[p0 + 3 * ps + t]), s3);
        }
        s0.intoArray(y, y0 + d);
        s1.intoArray(y, y1 + d);
        s2.intoArray(y, y2 + d);
        s3.intoArray(y, y3 + d);
    }

    /** {@code y[yOff + i] += alpha · x[xOff + i]} for i < n: {@link Ops#axpy}, and one cached row here. */
    static void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        FloatVector a = FloatVector.broadcast(F, alpha);
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += FL) {
            FloatVector.fromArray(F, x, xOff + i).fma(a, FloatVector.fromArray(F, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }
}
