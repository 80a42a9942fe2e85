package io.latentflow.engine;

import io.latentflow.engine.model.Chunk;
import io.latentflow.engine.model.LatentKvCache;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A request inside the scheduler: what it needs from the cache, the chunks it adds to each step,
 * and what it does with its logits. Only the scheduler thread touches a Work after submission.
 */
abstract class Work {
    final String id;
    final int[] prompt;
    final CompletableFuture<Object> future = new CompletableFuture<>();
    final long submittedNanos = System.nanoTime();
    long admittedNanos;
    /** When the first step that gave this work logits ended; 0 before. */
    long firstOutputNanos;
    long batchId;

    Work(String id, int[] prompt) {
        this.id = id;
        this.prompt = prompt;
    }

    /** Cache positions the whole request can occupy; reserved at admission. */
    abstract int cacheTokens();

    /** Allocates its sequences, or returns false (allocating nothing) when the cache has no room now. */
    abstract boolean tryAdmit(LatentKvCache cache);

    /** Chunks for the next step, in the order their logits come back. */
    abstract List<Chunk> nextChunks();

    /**
     * Consumes this work's logits of the step, starting at row {@code firstRow} of {@code logits}
     * (rows of vocab floats). Completes the future when the work is finished.
     */
    abstract void accept(float[] logits, int firstRow, int vocab);

    /** Returns its cache reservations. Idempotent. */
    abstract void release();

    boolean isDone() {
        return future.isDone();
    }

    RequestStats stats(int generated) {
        long now = System.nanoTime();
        long first = firstOutputNanos == 0 ? now : firstOutputNanos;
        return new RequestStats(prompt.length, generated, admittedNanos - submittedNanos, now - admittedNanos,
                first - admittedNanos, batchId);
    }

    void fail(Throwable t) {
        release();
        future.completeExceptionally(t);
    }
}
