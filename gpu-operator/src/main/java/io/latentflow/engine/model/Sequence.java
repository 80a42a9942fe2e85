package io.latentflow.engine.model;

/**
 * One sequence's latent cache rows: per layer (capacity, kv_lora + rope) floats, row t holding the
 * normed latent of position t followed by its rotated rope key. A child sequence reads positions
 * below its prefix length from its parent.
 */
public final class Sequence implements AutoCloseable {
    private final LatentKvCache cache;
    private final Sequence parent;
    private final int prefixLength;
    private final int capacity;
    private final int width;
    private final float[][] rows; // (layers, capacity · width)
    private int ownLength;
    private boolean released;

    Sequence(LatentKvCache cache, Sequence parent, int prefixLength, int capacity, int layers, int width) {
        this.cache = cache;
        this.parent = parent;
        this.prefixLength = prefixLength;
        this.capacity = capacity;
        this.width = width;
        this.rows = new float[layers][capacity * width];
    }

    /** Positions cached so far, the parent's prefix included. */
    public int length() {
        return prefixLength + ownLength;
    }

    /** Tokens this sequence can hold of its own (its reservation). */
    public int capacity() {
        return capacity;
    }

    /** Bytes this sequence holds of its own (not its parent's prefix). */
    public long ownBytes() {
        long total = 0;
        for (float[] layer : rows) {
            total += 4L * layer.length;
        }
        return total;
    }

    /** Array holding the row of position pos in layer; see {@link #offset}. */
    float[] array(int layer, int pos) {
        return pos < prefixLength ? parent.array(layer, pos) : rows[layer];
    }

    /** Offset of the row of position pos within {@link #array}. */
    int offset(int pos) {
        return pos < prefixLength ? parent.offset(pos) : (pos - prefixLength) * width;
    }

    /**
     * How many positions from pos on (up to {@link #length}) lie in the same array as pos, one row
     * after another: a child's prefix positions sit in its parent's rows.
     */
    int contiguous(int pos) {
        return pos < prefixLength ? Math.min(parent.contiguous(pos), prefixLength - pos) : length() - pos;
    }

    /** Makes room for n more positions (written by the forward pass in every layer). */
    void advance(int n) {
        if (ownLength + n > capacity) {
            throw new IllegalStateException("sequence of capacity " + capacity + " cannot take " + n
                    + " more tokens after " + ownLength);
        }
        ownLength += n;
    }

    /** Returns the reservation to the cache budget. Idempotent. */
    @Override
    public void close() {
        if (!released) {
            released = true;
            cache.release(this);
        }
    }
}
