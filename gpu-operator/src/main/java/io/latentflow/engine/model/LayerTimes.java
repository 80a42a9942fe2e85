package io.latentflow.engine.model;

/**
 * Cumulative wall time of the decoder layers' phases, for benchmarks: attention (norm, projections,
 * rope, cache write, attention, o_proj), router (gate logits, top-k, grouping tokens by expert) and
 * experts (routed and shared experts, dense MLPs, scatter back). Decode steps (every chunk one token)
 * and prefill steps are kept apart. Three {@link System#nanoTime()} reads per layer: negligible next
 * to a layer's matmuls. Written by the model's single caller, read by anyone.
 */
public final class LayerTimes {
    /** A copy of the counters: nanoseconds summed over all layers and steps of the kind. */
    public record Snapshot(long decodeSteps, long decodeAttention, long decodeRouter, long decodeExperts,
                           long prefillSteps, long prefillAttention, long prefillRouter, long prefillExperts) {

        /** this − earlier, counter by counter. */
        public Snapshot minus(Snapshot e) {
            return new Snapshot(decodeSteps - e.decodeSteps, decodeAttention - e.decodeAttention,
                    decodeRouter - e.decodeRouter, decodeExperts - e.decodeExperts, prefillSteps - e.prefillSteps,
                    prefillAttention - e.prefillAttention, prefillRouter - e.prefillRouter,
                    prefillExperts - e.prefillExperts);
        }
    }

    private volatile long decodeSteps;
    private volatile long decodeAttention;
    private volatile long decodeRouter;
    private volatile long decodeExperts;
    private volatile long prefillSteps;
    private volatile long prefillAttention;
    private volatile long prefillRouter;
    private volatile long prefillExperts;

    // single writer (the model's caller): read-modify-write of a volatile is safe here
    void add(boolean decode, long attention, long router, long experts) {
        if (decode) {
            decodeSteps++;
            decodeAttention += attention;
            decodeRouter += router;
            decodeExperts += experts;
        } else {
            prefillSteps++;
            prefillAttention += attention;
            prefillRouter += router;
            prefillExperts += experts;
        }
    }

    public Snapshot snapshot() {
        return new Snapshot(decodeSteps, decodeAttention, decodeRouter, decodeExperts, prefillSteps,
                prefillAttention, prefillRouter, prefillExperts);
    }
}
