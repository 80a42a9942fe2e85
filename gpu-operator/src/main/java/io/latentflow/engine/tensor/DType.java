package io.latentflow.engine.tensor;

/** Element types of safetensors files that the engine reads. */
public enum DType {
    F32(4),
    BF16(2),
    F16(2),
    /** OCP float8 e4m3fn; DeepSeek-V3 pairs it with a block-wise F32 {@code weight_scale_inv}. */
    F8_E4M3(1);

    /** Bytes per element. */
    public final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** The dtype for a safetensors header string, or null when the engine cannot read it. */
    public static DType fromSafetensors(String name) {
        for (DType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }
}
