package io.latentflow.engine.ops;

/** The kernel implementations the engine can run on, chosen explicitly in configuration. */
public enum Backend {
    /** Plain loops, one thread: the numerical reference. */
    SCALAR,
    /** jdk.incubator.vector kernels on a dedicated thread pool. */
    VECTOR,
    /**
     * The vector kernels on weights quantised to int8 at load, one float32 scale per output row: half
     * the memory traffic of BF16 per decode step, at a small error (README, "int8 weights").
     */
    VECTOR_INT8;

    /** The backend's name in configuration: "scalar", "vector" or "vector-int8". */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** The backend named by {@link #label} (case-insensitive; '_' for '-' accepted). */
    public static Backend parse(String label) {
        for (Backend b : values()) {
            if (b.label().equalsIgnoreCase(label.trim().replace('_', '-'))) {
                return b;
            }
        }
        throw new IllegalArgumentException("unknown backend '" + label + "': expected " + choices());
    }

    /** Every {@link #label}, for messages: "scalar, vector or vector-int8". */
    public static String choices() {
        Backend[] all = values();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < all.length; i++) {
            b.append(i == 0 ? "" : i == all.length - 1 ? " or " : ", ").append(all[i].label());
        }
        return b.toString();
    }

    /** Whether this backend needs the jdk.incubator.vector module. */
    public boolean needsVectorModule() {
        return this != SCALAR;
    }

    /** Creates the backend with {@code threads} worker threads (the scalar reference ignores it). */
    public Ops create(int threads) {
        switch (this) {
            case SCALAR:
                return new ScalarOps();
            case VECTOR:
                return new VectorOps(threads);
            case VECTOR_INT8:
                return new VectorOps(threads, true);
            default:
                throw new AssertionError(this);
        }
    }
}
