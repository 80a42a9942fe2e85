package io.latentflow.engine.checkpoint;

import io.latentflow.engine.tensor.DType;
import java.util.Arrays;

/**
 * One entry of a safetensors header, already checked against the file.
 *
 * @param name      tensor name
 * @param dtypeName dtype string as written in the header (kept even when the engine cannot read it)
 * @param dtype     the engine's dtype, or null for one it cannot read (I64, F64, U8, ...)
 * @param shape     dimensions, outermost first
 * @param begin     first byte, relative to the data section
 * @param end       one past the last byte, relative to the data section
 */
public record TensorInfo(String name, String dtypeName, DType dtype, long[] shape, long begin, long end) {

    /** Number of elements (1 for a scalar). */
    public long numel() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    public long byteSize() {
        return end - begin;
    }

    /** The shape as "[a, b]", the way error messages print it. */
    public String shapeString() {
        return Arrays.toString(shape);
    }
}
