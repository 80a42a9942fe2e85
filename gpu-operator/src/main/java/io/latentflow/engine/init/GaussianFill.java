package io.latentflow.engine.init;

import io.latentflow.engine.tensor.DType;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Fills a tensor buffer with approximately normal values, fast and deterministically.
 *
 * <p>Each element is an Irwin–Hall sum of the four 16-bit lanes of one {@code nextLong()}, rescaled to
 * unit variance: one RNG call per element and no log/sqrt/trig, which is what makes a 463M-parameter
 * checkpoint take seconds. Tails are cut at about ±3.5σ, irrelevant for random test weights. The buffer is
 * cut into fixed chunks, each with its own {@link SplittableRandom} seeded from (seed, tensor, chunk), so
 * chunks can be filled in parallel and the bytes depend only on the seed, not on thread scheduling.
 */
final class GaussianFill {
    private static final int CHUNK = 1 << 16;
    /** 1 / sd of a sum of four uniform 16-bit integers. */
    private static final double INV_SD = 1.0 / Math.sqrt(4.0 * (65536.0 * 65536.0 - 1) / 12.0);
    private static final double MEAN = 4 * 32767.5;

    private GaussianFill() {
    }

    static void fill(ByteBuffer buf, DType dtype, long numel, double std, long seed, int tensorIndex) {
        int n = Math.toIntExact(numel);
        int chunks = (n + CHUNK - 1) / CHUNK;
        IntStream.range(0, chunks).parallel().forEach(ch -> {
            SplittableRandom rnd = new SplittableRandom(mix(seed, tensorIndex, ch));
            int end = Math.min(n, (ch + 1) * CHUNK);
            double scale = std * INV_SD;
            for (int i = ch * CHUNK; i < end; i++) {
                long r = rnd.nextLong();
                long s = (r & 0xFFFF) + ((r >>> 16) & 0xFFFF) + ((r >>> 32) & 0xFFFF) + (r >>> 48);
                put(buf, dtype, i, (float) ((s - MEAN) * scale));
            }
        });
    }

    static void constant(ByteBuffer buf, DType dtype, long numel, float value) {
        int n = Math.toIntExact(numel);
        for (int i = 0; i < n; i++) {
            put(buf, dtype, i, value);
        }
    }

    private static void put(ByteBuffer buf, DType dtype, int i, float v) {
        switch (dtype) {
            case F32:
                buf.putFloat(i * 4, v);
                break;
            case BF16:
                buf.putShort(i * 2, toBf16(v));
                break;
            default:
                throw new IllegalArgumentException("random weights in " + dtype + " are not supported");
        }
    }

    /** Round-to-nearest-even truncation of a (finite) float32 to bfloat16. */
    static short toBf16(float v) {
        int bits = Float.floatToRawIntBits(v);
        return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
    }

    private static long mix(long seed, int tensor, int chunk) {
        long z = seed * 0x9E3779B97F4A7C15L + tensor * 0xC2B2AE3D27D4EB4FL + chunk * 0x165667B19E3779F9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
