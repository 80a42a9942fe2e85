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
     * Row by row, two cached rows a step, each step adding to the batch's output rows across all
     * columns: the cached rows are read once, in address order, which the prefetcher follows, and
     * the output rows (a few KB) stay in L1. Walking all n cached rows once per column vector instead
     * (the sums in registers) read each row's lines back from L2 or memory at every column pass: four
     * heads × 144 rows × 256 columns with the rows out of cache took 65–73 µs that way, 10 with them in
     * cache.
     */
    static void addWeightedRows(float[] p, int pOff, int pStride, float[] a, int aOff, int aStride, int n, int cols,
                                float[] y, int yOff, int yStride, int batch) {
        int b = 0;
        for (; b + 4 <= batch; b += 4) {
            int p0 = pOff + b * pStride;
            int y0 = yOff + b * yStride;
            int h = n / 2;
            for (int t = 0; t < h; t++) {
                addTwoRowsToFour(p, p0 + t, p0 + h + t, pStride, a, aOff + t * aStride, aOff + (h + t) * aStride,
                        cols, y, y0, yStride);
            }
            if (n % 2 != 0) {
                for (int i = 0; i < 4; i++) {
                    axpy(p[p0 + i * pStride + n - 1], a, aOff + (n - 1) * aStride, y, y0 + i * yStride, cols);
                }
            }
        }
        for (; b < batch; b++) {
            int pb = pOff + b * pStride;
            int yb = yOff + b * yStride;
            for (int t = 0; t < n; t++) {
                axpy(p[pb + t], a, aOff + t * aStride, y, yb, cols);
            }
        }
    }

    /**
     * {@code y_i += p_i[0] · a0 + p_i[1] · a1} for four output rows i (p_i at pt + i·ps, y_i at
     * yo + i·ys) and the two cached rows a0 at ao and a1 at ao + as: each loaded cache vector feeds
     * four multiply-adds; the eight weights stay in registers across the columns.
     */
    private static void addTwoRowsToFour(float[] p, int pt, int pu, int ps, float[] a, int at, int au, int cols,
                                         float[] y, int yo, int ys) {
        FloatVector w00 = FloatVector.broadcast(F, p[pt]), w01 = FloatVector.broadcast(F, p[pu]);
        FloatVector w10 = FloatVector.broadcast(F, p[pt + ps]), w11 = FloatVector.broadcast(F, p[pu + ps]);
        FloatVector w20 = FloatVector.broadcast(F, p[pt + 2 * ps]), w21 = FloatVector.broadcast(F, p[pu + 2 * ps]);
        FloatVector w30 = FloatVector.broadcast(F, p[pt + 3 * ps]), w31 = FloatVector.broadcast(F, p[pu + 3 * ps]);
        int y1 = yo + ys;
        int y2 = y1 + ys;
        int y3 = y2 + ys;
        int vec = F.loopBound(cols);
        int d = 0;
        for (; d < vec; d += FL) {
            FloatVector a0 = FloatVector.fromArray(F, a, at + d);
            FloatVector a1 = FloatVector.fromArray(F, a, au + d);
            a1.fma(w01, a0.fma(w00, FloatVector.fromArray(F, y, yo + d))).intoArray(y, yo + d);
            a1.fma(w11, a0.fma(w10, FloatVector.fromArray(F, y, y1 + d))).intoArray(y, y1 + d);
            a1.fma(w21, a0.fma(w20, FloatVector.fromArray(F, y, y2 + d))).intoArray(y, y2 + d);
            a1.fma(w31, a0.fma(w30, FloatVector.fromArray(F, y, y3 + d))).intoArray(y, y3 + d);
        }
        for (; d < cols; d++) {
            float a0 = a[at + d];
            float a1 = a[au + d];
            y[yo + d] += p[pt] * a0 + p[pu] * a1;
            y[y1 + d] += p[pt + ps] * a0 + p[pu + ps] * a1;
            y[y2 + d] += p[pt + 2 * ps] * a0 + p[pu + 2 * ps] * a1;
            y[y3 + d] += p[pt + 3 * ps] * a0 + p[pu + 3 * ps] * a1;
        }
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
