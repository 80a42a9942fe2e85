package io.latentflow.engine.model;

import io.latentflow.engine.checkpoint.ModelConfig;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The absorbed-MLA cache: per token and layer only the normed KV latent (kv_lora_rank) and the
 * rotated shared rope key (qk_rope_head_dim), float32. Memory is bounded by a budget: a sequence
 * reserves its whole capacity when admitted, so a running sequence never fails for lack of room
 * and callers wait (admission control) instead.
 */
public final class LatentKvCache {
    private final int layers;
    private final int width;
    private final long budgetBytes;
    private final AtomicLong reservedBytes = new AtomicLong();

    public LatentKvCache(ModelConfig c, long budgetBytes) {
        this.layers = c.numHiddenLayers();
        this.width = c.latentCacheWidth();
        this.budgetBytes = budgetBytes;
    }

    /** kv_lora_rank + qk_rope_head_dim floats per layer. */
    public long bytesPerToken() {
        return 4L * layers * width;
    }

    public long budgetBytes() {
        return budgetBytes;
    }

    public long reservedBytes() {
        return reservedBytes.get();
    }

    /** Whether a sequence of this many tokens could ever fit (alone in an empty cache). */
    public boolean canEverFit(int tokens) {
        return tokens * bytesPerToken() <= budgetBytes;
    }

    /** A new sequence with room for {@code capacity} tokens, or null when the budget has no room now. */
    public Sequence tryAllocate(int capacity) {
        return tryAllocate(null, 0, capacity);
    }

    /**
     * A sequence that continues the first {@code prefixLength} tokens of {@code parent} without copying
     * them (classification labels share their prompt), with room for {@code capacity} tokens of its own.
     */
    public Sequence tryAllocateChild(Sequence parent, int prefixLength, int capacity) {
        return tryAllocate(parent, prefixLength, capacity);
    }

    private Sequence tryAllocate(Sequence parent, int prefixLength, int capacity) {
        long bytes = capacity * bytesPerToken();
        while (true) {
            long now = reservedBytes.get();
            if (now + bytes > budgetBytes) {
                return null;
            }
            if (reservedBytes.compareAndSet(now, now + bytes)) {
                return new Sequence(this, parent, prefixLength, capacity, layers, width);
            }
        }
    }

    void release(Sequence s) {
        reservedBytes.addAndGet(-s.capacity() * bytesPerToken());
    }
}
