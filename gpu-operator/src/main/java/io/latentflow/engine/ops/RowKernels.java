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

    static void addWeightedRows(float[] p, int pOff, int pStride, float[] a, int aOff, int aStride, int n, int cols,
                                float[] y, int yOff, int yStride, int batch) {
        int vec = F.loopBound(cols);
        int b = 0;
        for (; b + 4 <= batch; b += 4) {
            int p0 = pOff + b * pStride;
            int p1 = p0 + pStride;
            int p2 = p1 + pStride;
            int p3 = p2 + pStride;
            int y0 = yOff + b * yStride;
            int y1 = y0 + yStride;
            int y2 = y1 + yStride;
            int y3 = y2 + yStride;
            // four output rows × one vector of columns: each loaded cache vector feeds four FMAs
            for (int d = 0; d < vec; d += FL) {
                FloatVector s0 = FloatVector.fromArray(F, y, y0 + d);
                FloatVector s1 = FloatVector.fromArray(F, y, y1 + d);
                FloatVector s2 = FloatVector.fromArray(F, y, y2 + d);
                FloatVector s3 = FloatVector.fromArray(F, y, y3 + d);
                for (int t = 0, at = aOff + d; t < n; t++, at += aStride) {
                    FloatVector av = FloatVector.fromArray(F, a, at);
                    s0 = av.fma(FloatVector.broadcast(F, p[p0 + t]), s0);
                    s1 = av.fma(FloatVector.broadcast(F, p[p1 + t]), s1);
                    s2 = av.fma(FloatVector.broadcast(F, p[p2 + t]), s2);
                    s3 = av.fma(FloatVector.broadcast(F, p[p3 + t]), s3);
                }
                s0.intoArray(y, y0 + d);
                s1.intoArray(y, y1 + d);
                s2.intoArray(y, y2 + d);
                s3.intoArray(y, y3 + d);
            }
            for (int d = vec; d < cols; d++) {
                float r0 = 0, r1 = 0, r2 = 0, r3 = 0;
                for (int t = 0; t < n; t++) {
                    float av = a[aOff + t * aStride + d];
                    r0 += p[p0 + t] * av;
                    r1 += p[p1 + t] * av;
                    r2 += p[p2 + t] * av;
                    r3 += p[p3 + t] * av;
                }
                y[y0 + d] += r0;
                y[y1 + d] += r1;
                y[y2 + d] += r2;
                y[y3 + d] += r3;
            }
        }
        for (; b < batch; b++) {
            int pb = pOff + b * pStride;
            int yb = yOff + b * yStride;
            for (int d = 0; d < vec; d += FL) {
                FloatVector s = FloatVector.fromArray(F, y, yb + d);
                for (int t = 0, at = aOff + d; t < n; t++, at += aStride) {
                    s = FloatVector.fromArray(F, a, at).fma(FloatVector.broadcast(F, p[pb + t]), s);
                }
                s.intoArray(y, yb + d);
            }
            for (int d = vec; d < cols; d++) {
                float r = 0;
                for (int t = 0; t < n; t++) {
                    r += p[pb + t] * a[aOff + t * aStride + d];
                }
                y[yb + d] += r;
            }
        }
    }
}
