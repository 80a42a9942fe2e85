package io.latentflow.engine.ops;

/** The kernel implementations the engine can run on, chosen explicitly in configuration. */
public enum Backend {
    /** Plain loops, one thread: the numerical reference. */
    SCALAR,
    /** jdk.incubator.vector kernels on a dedicated thread pool. */
    VECTOR;

    /** Creates the backend with {@code threads} worker threads (the scalar reference ignores it). */
    public Ops create(int threads) {
        switch (this) {
            case SCALAR:
                return new ScalarOps();
            case VECTOR:
                return new VectorOps(threads);
            default:
                throw new AssertionError(this);
        }
    }
}
