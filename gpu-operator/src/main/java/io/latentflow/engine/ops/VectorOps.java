package io.latentflow.engine.ops;

import io.latentflow.engine.tensor.Weight;

/** Placeholder until the Vector API kernels land: delegates to the scalar reference. */
public final class VectorOps implements Ops {
    private final ScalarOps scalar = new ScalarOps();

    public VectorOps(int threads) {
    }

    @Override
    public String name() {
        return "vector(stub)";
    }

    @Override
    public void matmul(Weight w, float[] x, int xOff, int xStride, float[] y, int yOff, int yStride, int batch) {
        scalar.matmul(w, x, xOff, xStride, y, yOff, yStride, batch);
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        return scalar.dot(a, aOff, b, bOff, n);
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        scalar.axpy(alpha, x, xOff, y, yOff, n);
    }

    @Override
    public void rmsnorm(Weight w, float eps, float[] x, int xOff, int xStride, float[] y, int yOff, int yStride,
                        int batch) {
        scalar.rmsnorm(w, eps, x, xOff, xStride, y, yOff, yStride, batch);
    }

    @Override
    public void close() {
    }
}
