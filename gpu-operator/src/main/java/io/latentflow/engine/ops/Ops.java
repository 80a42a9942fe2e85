package io.latentflow.engine.ops;

import io.latentflow.engine.tensor.Weight;

/**
 * The numeric kernels the model needs, in the narrowest form that keeps the forward pass
 * backend-agnostic. Model code calls only this; backends (scalar reference, Vector API, CUDA) sit
 * behind it. Weights keep their stored dtype; everything accumulates in float32.
 *
 * <p>Matrices in float[] are row-major with an explicit stride, so that a batch of token rows, a
 * head slice of a row or a gathered group of expert rows can be passed without copying.
 */
public interface Ops extends AutoCloseable {

    /** Short backend name for logs and benchmarks, e.g. "scalar" or "vector(256-bit, 2 threads)". */
    String name();

    /**
     * Batched matrix product with a transposed weight:
     * {@code y[yOff + b*yStride + r] = Σ_k w[r][k] · x[xOff + b*xStride + k]} for b < batch, r < w.rows.
     */
    void matmul(Weight w, float[] x, int xOff, int xStride, float[] y, int yOff, int yStride, int batch);

    /**
     * The weight in the layout this backend multiplies fastest, for matrices of the hot loop; called
     * once at load. May attach an off-heap packed copy ({@link Weight#withPacked}); never a heap copy.
     * The result is used exactly like w.
     */
    Weight prepare(Weight w);

    /**
     * As {@link #prepare}, but the values stay exact where a backend would otherwise quantise them: for
     * the router, whose discrete top-k choice turns a small error into a different expert.
     */
    default Weight prepareExact(Weight w) {
        return prepare(w);
    }

    /**
     * Products with the rows of an activation matrix (attention scores over cached rows), on the
     * calling thread: {@code y[yOff + b*yStride + t] = Σ_k a[aOff + t*aStride + k] · x[xOff + b*xStride + k]}
     * for t < n, k < cols, b < batch.
     */
    void rowProducts(float[] a, int aOff, int aStride, int n, int cols, float[] x, int xOff, int xStride,
                     float[] y, int yOff, int yStride, int batch);

    /**
     * Weighted sums of the rows of an activation matrix (attention outputs over cached rows), on the
     * calling thread: {@code y[yOff + b*yStride + d] += Σ_t p[pOff + b*pStride + t] · a[aOff + t*aStride + d]}
     * for d < cols, t < n, b < batch.
     */
    void addWeightedRows(float[] p, int pOff, int pStride, float[] a, int aOff, int aStride, int n, int cols,
                         float[] y, int yOff, int yStride, int batch);

    /** {@code Σ_i a[aOff + i] · b[bOff + i]} for i < n. */
    float dot(float[] a, int aOff, float[] b, int bOff, int n);

    /** {@code y[yOff + i] += alpha · x[xOff + i]} for i < n. */
    void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n);

    /**
     * Runs {@code body.accept(i)} for i < n, spread over the backend's threads (attention heads). The
     * bodies must write disjoint memory; Ops calls made inside them run on the calling thread.
     */
    void forEach(int n, java.util.function.IntConsumer body);

    /** How many {@link #forEach} bodies run at once: the backend's threads. */
    int parallelism();

    /** SwiGLU's gate: {@code g[i] = silu(g[i]) · u[i] = g[i] / (1 + e^(−g[i])) · u[i]} for i < n. */
    void swiglu(float[] g, float[] u, int n);

    /**
     * In-place softmax of scale · x[off .. off + n): {@code x[i] = e^(scale·(x[i] − max)) / Σ}, scale > 0,
     * on the calling thread (attention scores).
     */
    void softmax(float[] x, int off, int n, float scale);

    /**
     * RMSNorm of each of {@code batch} rows of length n:
     * {@code y[i] = w[i] · x[i] / sqrt(mean(x²) + eps)}. x and y may be the same array.
     */
    void rmsnorm(Weight w, float eps, float[] x, int xOff, int xStride, float[] y, int yOff, int yStride,
                 int batch);

    /** Releases the backend's threads (and device memory). */
    @Override
    void close();
}
