package io.latentflow.engine.tensor;

/** Scalar conversions from the stored element types to float32. */
public final class Floats {
    private Floats() {
    }

    /** bfloat16 is the high half of a float32. */
    public static float bf16(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /** IEEE half precision, with subnormals. */
    public static float f16(short bits) {
        int h = bits & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1F;
        int mant = h & 0x3FF;
        if (exp == 0) {
            float v = mant * 0x1p-24f; // subnormal: mant * 2^-14 * 2^-10
            return sign == 0 ? v : -v;
        }
        if (exp == 31) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }

    /** float8 e4m3fn (bias 7, no infinities, S.1111.111 is NaN), decoded once into a table. */
    private static final float[] F8_E4M3 = new float[256];

    static {
        for (int b = 0; b < 256; b++) {
            int sign = b >>> 7;
            int exp = (b >>> 3) & 0xF;
            int mant = b & 0x7;
            float v;
            if (exp == 0xF && mant == 0x7) {
                v = Float.NaN;
            } else if (exp == 0) {
                v = mant / 8f * 0x1p-6f;
            } else {
                v = (1 + mant / 8f) * (float) Math.pow(2, exp - 7);
            }
            F8_E4M3[b] = sign == 1 ? -v : v;
        }
    }

    public static float f8e4m3(byte bits) {
        return F8_E4M3[bits & 0xFF];
    }
}
