package io.latentflow.engine.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A read-only row-major matrix view (rows, cols) over little-endian bytes, usually a slice of a
 * memory-mapped safetensors file. 1-D tensors are one row. Nothing is copied: backends read the
 * stored dtype directly and accumulate in float32.
 *
 * <p>F8_E4M3 weights carry DeepSeek-V3's block scales: element (r, c) is
 * {@code f8(r, c) * scaleInv[(rowBase + r) / 128][c / 128]}.
 */
public final class Weight {
    /** DeepSeek-V3 quantisation block edge. */
    public static final int F8_BLOCK = 128;

    public final String name;
    public final DType dtype;
    public final int rows;
    public final int cols;
    private final ByteBuffer data;
    /** F8 only: (ceil(allRows/128), ceil(cols/128)) float32. */
    private final Weight scaleInv;
    /** F8 only: index of row 0 of this view in the tensor the scales belong to. */
    private final int rowBase;
    /**
     * A copy of the values in one backend's own layout (VectorOps: column panels, see PanelGemm),
     * off-heap, made once at load; null for a plain view. The mapped bytes stay for element access,
     * but the hot matmuls no longer touch them, so their pages become evictable page cache.
     */
    private final ByteBuffer packed;

    public Weight(String name, DType dtype, int rows, int cols, ByteBuffer data, Weight scaleInv) {
        this(name, dtype, rows, cols, data, scaleInv, 0);
    }

    private Weight(String name, DType dtype, int rows, int cols, ByteBuffer data, Weight scaleInv, int rowBase) {
        this(name, dtype, rows, cols, data, scaleInv, rowBase, null);
    }

    private Weight(String name, DType dtype, int rows, int cols, ByteBuffer data, Weight scaleInv, int rowBase,
                   ByteBuffer packed) {
        long need = (long) rows * cols * dtype.bytes;
        if (data.capacity() < need) {
            throw new IllegalArgumentException(name + ": " + data.capacity() + " bytes hold less than "
                    + rows + "x" + cols + " " + dtype);
        }
        if (dtype == DType.F8_E4M3 && scaleInv == null) {
            throw new IllegalArgumentException(name + ": F8_E4M3 needs weight_scale_inv");
        }
        this.name = name;
        this.dtype = dtype;
        this.rows = rows;
        this.cols = cols;
        this.data = data.slice().order(ByteOrder.LITTLE_ENDIAN);
        this.scaleInv = scaleInv;
        this.rowBase = rowBase;
        this.packed = packed == null ? null : packed.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A float32 weight backed by a direct buffer holding a copy of {@code values} (for derived weights). */
    public static Weight ofFloats(String name, int rows, int cols, float[] values) {
        ByteBuffer bb = ByteBuffer.allocateDirect(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bb.asFloatBuffer().put(values);
        return new Weight(name, DType.F32, rows, cols, bb, null);
    }

    /** This weight with a backend's packed copy attached (see {@link #packed()}). */
    public Weight withPacked(ByteBuffer panels) {
        return new Weight(name, dtype, rows, cols, data, scaleInv, rowBase, panels);
    }

    /** The backend-packed copy, or null. Row views ({@link #rows}) do not carry it. */
    public ByteBuffer packed() {
        return packed;
    }

    /** Rows [start, start + count) as a view sharing the bytes. */
    public Weight rows(int start, int count) {
        if (start < 0 || count < 0 || start + count > rows) {
            throw new IndexOutOfBoundsException(name + ": rows " + start + "+" + count + " of " + rows);
        }
        ByteBuffer slice = data.slice(Math.multiplyExact(start, cols * dtype.bytes), count * cols * dtype.bytes);
        return new Weight(name, dtype, count, cols, slice, scaleInv, rowBase + start);
    }

    /**
     * This weight over a copy of its bytes in anonymous memory, for a table read a few rows at a time
     * (the embedding). On the shared VM a row that no step had read for a second or so took 30-70 µs
     * to read, in the mapped file and in anonymous memory alike (the host's first touch of cold
     * memory; once read, 1-3 µs): with 4 KiB file pages a batch-32 step's rows fall on 32 cold pages,
     * while the copy lies in huge pages (transparent huge pages permitting) that the steps keep warm.
     */
    public Weight inMemory() {
        ByteBuffer copy = ByteBuffer.allocateDirect(data.capacity());
        copy.put(data.duplicate().clear()).clear();
        return new Weight(name, dtype, rows, cols, copy, scaleInv, rowBase, packed);
    }

    /**
     * a's rows followed by b's, copied into one buffer: one matmul for two weights that read the same
     * input. Same dtype and columns; not for F8 weights (their block scales).
     */
    public static Weight stackRows(String name, Weight a, Weight b) {
        if (a.dtype != b.dtype || a.cols != b.cols || a.scaleInv != null || b.scaleInv != null) {
            throw new IllegalArgumentException("cannot stack " + a + " and " + b);
        }
        int bytesA = a.rows * a.cols * a.dtype.bytes;
        int bytesB = b.rows * b.cols * b.dtype.bytes;
        ByteBuffer copy = ByteBuffer.allocateDirect(bytesA + bytesB);
        copy.put(a.data.duplicate().clear().limit(bytesA));
        copy.put(b.data.duplicate().clear().limit(bytesB));
        copy.clear();
        return new Weight(name, a.dtype, a.rows + b.rows, a.cols, copy, null);
    }

    /** Little-endian bytes of the view, position 0 = element (0, 0). Use absolute reads only. */
    public ByteBuffer bytes() {
        return data;
    }

    /** Block scales of an F8 weight, else null. */
    public Weight scaleInv() {
        return scaleInv;
    }

    /** Row index of this view's row 0 within the tensor its F8 scales describe. */
    public int rowBase() {
        return rowBase;
    }

    public long elements() {
        return (long) rows * cols;
    }

    /** Element (r, c) as float32. */
    public float get(int r, int c) {
        int i = r * cols + c;
        switch (dtype) {
            case F32:
                return data.getFloat(i * 4);
            case BF16:
                return Floats.bf16(data.getShort(i * 2));
            case F16:
                return Floats.f16(data.getShort(i * 2));
            case F8_E4M3:
                return Floats.f8e4m3(data.get(i))
                        * scaleInv.get((rowBase + r) / F8_BLOCK, c / F8_BLOCK);
            default:
                throw new AssertionError(dtype);
        }
    }

    /**
     * Decodes row r into dst[off .. off + cols). BF16 and F32 rows are copied out in bulk first: value
     * by value through {@link #get}, a warm 1024-wide BF16 row took 2.8 µs (the embedding lookups run
     * on the model's single thread).
     */
    public void readRow(int r, float[] dst, int off) {
        int first = r * cols;
        switch (dtype) {
            case BF16 -> {
                short[] bits = new short[cols];
                data.asShortBuffer().get(first, bits, 0, cols);
                for (int c = 0; c < cols; c++) {
                    dst[off + c] = Floats.bf16(bits[c]);
                }
            }
            case F32 -> data.asFloatBuffer().get(first, dst, off, cols);
            default -> {
                for (int c = 0; c < cols; c++) {
                    dst[off + c] = get(r, c);
                }
            }
        }
    }

    /** The whole weight as float32, row-major (for small tensors: norms, biases, derived weights). */
    public float[] toFloats() {
        float[] out = new float[Math.toIntExact(elements())];
        for (int r = 0; r < rows; r++) {
            readRow(r, out, r * cols);
        }
        return out;
    }

    @Override
    public String toString() {
        return name + " " + dtype + " (" + rows + ", " + cols + ")";
    }
}
