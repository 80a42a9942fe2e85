package io.latentflow.engine.ops;

import io.latentflow.engine.tensor.Weight;

/** The reference backend: plain loops, one thread, element access through {@link Weight#get}. */
public final class ScalarOps implements Ops {

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void matmul(Weight w, float[] x, int xOff, int xStride, float[] y, int yOff, int yStride, int batch) {
        float[] row = new float[w.cols];
        for (int r = 0; r < w.rows; r++) {
            w.readRow(r, row, 0);
            for (int b = 0; b < batch; b++) {
                y[yOff + b * yStride + r] = dot(row, 0, x, xOff + b * xStride, w.cols);
            }
        }
    }

    /** The reference reads the stored row-major bytes: nothing to prepare. */
    @Override
    public Weight prepare(Weight w) {
        return w;
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        float s = 0f;
        for (int i = 0; i < n; i++) {
            s += a[aOff + i] * b[bOff + i];
        }
        return s;
    }

    @Override
    public void rowProducts(float[] a, int aOff, int aStride, int n, int cols, float[] x, int xOff, int xStride,
                            float[] y, int yOff, int yStride, int batch) {
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < n; t++) {
                y[yOff + b * yStride + t] = dot(a, aOff + t * aStride, x, xOff + b * xStride, cols);
            }
        }
    }

    @Override
    public void addWeightedRows(float[] p, int pOff, int pStride, float[] a, int aOff, int aStride, int n, int cols,
                                float[] y, int yOff, int yStride, int batch) {
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < n; t++) {
                axpy(p[pOff + b * pStride + t], a, aOff + t * aStride, y, yOff + b * yStride, cols);
            }
        }
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    @Override
    public int parallelism() {
        return 1;
    }

    @Override
    public void forEach(int n, java.util.function.IntConsumer body) {
        for (int i = 0; i < n; i++) {
            body.accept(i);
        }
    }

    @Override
    public void swiglu(float[] g, float[] u, int n) {
        for (int i = 0; i < n; i++) {
            float v = g[i];
            g[i] = v / (1f + (float) Math.exp(-v)) * u[i];
        }
    }

    @Override
    public void softmax(float[] x, int off, int n, float scale) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = off; i < off + n; i++) {
            max = Math.max(max, x[i]);
        }
        float sum = 0f;
        for (int i = off; i < off + n; i++) {
            x[i] = (float) Math.exp((x[i] - max) * scale);
            sum += x[i];
        }
        float inv = 1f / sum;
        for (int i = off; i < off + n; i++) {
            x[i] *= inv;
        }
    }

    @Override
    public void rmsnorm(Weight w, float eps, float[] x, int xOff, int xStride, float[] y, int yOff, int yStride,
                        int batch) {
        int n = w.cols;
        for (int b = 0; b < batch; b++) {
            int xo = xOff + b * xStride;
            int yo = yOff + b * yStride;
            float ss = 0f;
            for (int i = 0; i < n; i++) {
                ss += x[xo + i] * x[xo + i];
            }
            float inv = (float) (1.0 / Math.sqrt(ss / n + eps));
            for (int i = 0; i < n; i++) {
                y[yo + i] = w.get(0, i) * (x[xo + i] * inv);
            }
        }
    }

    @Override
    public void close() {
    }
}
