package io.latentflow.engine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.latentflow.engine.tensor.DType;
import io.latentflow.engine.tensor.Weight;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VectorOpsTest {
    private static final float REL = 1e-4f;
    private final ScalarOps ref = new ScalarOps();

    // ---- weight builders -------------------------------------------------------------------------

    static ByteBuffer buffer(int bytes, boolean direct) {
        ByteBuffer bb = direct ? ByteBuffer.allocateDirect(bytes) : ByteBuffer.allocate(bytes);
        return bb.order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A random weight of the given dtype (F8 with a random (ceil(rows/128), ceil(cols/128)) scale). */
    static Weight random(DType dtype, int rows, int cols, long seed, boolean direct) {
        Random rnd = new Random(seed);
        int n = rows * cols;
        ByteBuffer bb = buffer(n * dtype.bytes, direct);
        Weight scale = null;
        for (int i = 0; i < n; i++) {
            switch (dtype) {
                case F32:
                    bb.putFloat(i * 4, (float) rnd.nextGaussian());
                    break;
                case BF16:
                    bb.putShort(i * 2, (short) (Float.floatToRawIntBits((float) rnd.nextGaussian()) >>> 16));
                    break;
                case F16: {
                    // sign, exponent 0 (subnormal) .. 17, random mantissa
                    int sign = rnd.nextBoolean() ? 0x8000 : 0;
                    int exp = rnd.nextInt(10) == 0 ? 0 : 8 + rnd.nextInt(10);
                    bb.putShort(i * 2, (short) (sign | exp << 10 | rnd.nextInt(1024)));
                    break;
                }
                case F8_E4M3: {
                    int b;
                    do {
                        b = rnd.nextInt(256);
                    } while ((b & 0x7F) == 0x7F); // NaN
                    bb.put(i, (byte) b);
                    break;
                }
                default:
                    throw new AssertionError(dtype);
            }
        }
        if (dtype == DType.F8_E4M3) {
            int sr = (rows + 127) / 128;
            int sc = (cols + 127) / 128;
            float[] s = new float[sr * sc];
            for (int i = 0; i < s.length; i++) {
                s[i] = 0.001f + rnd.nextFloat() * 0.01f;
            }
            scale = Weight.ofFloats("w.scale_inv", sr, sc, s);
        }
        return new Weight("w." + dtype, dtype, rows, cols, bb, scale);
    }

    static float[] randomFloats(int n, long seed) {
        Random rnd = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextGaussian();
        }
        return a;
    }

    // ---- matmul ------------------------------------------------------------------------------------

    static List<Arguments> matmulCases() {
        List<Arguments> out = new ArrayList<>();
        int[][] shapes = {{37, 300}, {37, 129}, {37, 7}, {5, 1}, {260, 515}, {3, 64}};
        long seed = 1;
        for (DType dt : DType.values()) {
            for (int[] s : shapes) {
                for (int batch : new int[] {1, 3, 17}) {
                    for (int threads : new int[] {1, 2}) {
                        out.add(Arguments.of(dt, s[0], s[1], batch, threads, (seed++ & 1) == 0));
                    }
                }
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} {1}x{2} batch {3} threads {4} direct {5}")
    @MethodSource("matmulCases")
    void matmulMatchesScalar(DType dtype, int rows, int cols, int batch, int threads, boolean direct) {
        Weight w = random(dtype, rows, cols, rows * 31L + cols + dtype.ordinal(), direct);
        try (VectorOps ops = new VectorOps(threads)) {
            checkMatmul(ops, w, batch, 0, cols, 0, rows);
            // offsets and strides larger than cols / rows
            checkMatmul(ops, w, batch, 5, cols + 3, 7, rows + 11);
        }
    }

    @ParameterizedTest(name = "{0} row slices, threads {1}")
    @MethodSource("sliceCases")
    void matmulOnRowSlices(DType dtype, int threads) {
        int rows = 300;
        int cols = 260;
        Weight w = random(dtype, rows, cols, 99 + dtype.ordinal(), true);
        try (VectorOps ops = new VectorOps(threads)) {
            // slices that start mid block and cross 128-row boundaries (rowBase matters for F8)
            int[][] slices = {{0, 300}, {1, 37}, {100, 60}, {127, 2}, {129, 171}, {250, 50}};
            for (int[] s : slices) {
                Weight v = w.rows(s[0], s[1]);
                for (int batch : new int[] {1, 3, 17}) {
                    checkMatmul(ops, v, batch, 2, cols + 1, 1, s[1] + 5);
                }
            }
        }
    }

    /**
     * Packed panels (prepare): odd sizes, a k past one k-block, every token-tile remainder, and
     * enough panels for the one-row kernel's groups of four with a short last panel and leftovers.
     */
    static List<Arguments> packedCases() {
        List<Arguments> out = new ArrayList<>();
        // {256, 333}: eight panels, whole groups of four per thread (the 2- and 3-row tiles), odd k
        int[][] shapes = {{37, 300}, {64, 7}, {33, 1100}, {100, 2049}, {32, 1}, {300, 70}, {283, 1030}, {256, 333}};
        for (DType dt : new DType[] {DType.BF16, DType.F32}) {
            for (int[] s : shapes) {
                for (int threads : new int[] {1, 2}) {
                    out.add(Arguments.of(dt, s[0], s[1], threads));
                }
            }
        }
        return out;
    }

    @ParameterizedTest(name = "packed {0} {1}x{2} threads {3}")
    @MethodSource("packedCases")
    void packedMatmulMatchesScalar(DType dtype, int rows, int cols, int threads) {
        Weight w = random(dtype, rows, cols, rows * 17L + cols, true);
        try (VectorOps ops = new VectorOps(threads)) {
            Weight p = ops.prepare(w);
            assertTrue(p.packed() != null, "packed");
            // 12-45: staged blocks from 12 rows (16 registers, PanelGemm.STAGE_ROWS) or 32, ending in a 1-row
            // tile or in 4-row tiles (full, padded, or two for the last 8 rows); 130: staged blocks and a
            // streaming tail; 1000 and 975: a second shared block (PanelGemm.SHARED_ROWS) staged or streaming
            for (int batch : new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 19, 20, 26, 32, 33,
                36, 42, 44, 45, 130, 1000, 975}) {
                checkMatmul(ops, p, batch, 0, cols, 0, rows);
                checkMatmul(ops, p, batch, 3, cols + 5, 2, rows + 9);
            }
        }
    }

    /**
     * Int8 mode: the product equals the scalar one on the dequantised weight (q · s per row, as
     * Int8Panels quantises: s = max|row| / 127), for groups of four panels, leftovers, every tile
     * and a staged block.
     */
    @ParameterizedTest(name = "int8 {0} {1}x{2} threads {3}")
    @MethodSource("packedCases")
    void int8MatmulMatchesScalarOnTheDequantisedWeight(DType dtype, int rows, int cols, int threads) {
        Weight w = random(dtype, rows, cols, rows * 13L + cols, true);
        float[] deq = new float[rows * cols];
        float[] row = new float[cols];
        for (int r = 0; r < rows; r++) {
            w.readRow(r, row, 0);
            float max = 0f;
            for (float v : row) {
                max = Math.max(max, Math.abs(v));
            }
            float s = max / 127f;
            for (int k = 0; k < cols; k++) {
                deq[r * cols + k] = s == 0f ? 0f : Math.round(row[k] * (1f / s)) * s;
            }
        }
        Weight exact = Weight.ofFloats("deq", rows, cols, deq);
        try (VectorOps ops = new VectorOps(threads, true)) {
            Weight p = ops.prepare(w);
            assertTrue(p.packed() != null, "packed");
            // 12-38: staged blocks, dequantised, ending in 6-, 4- or 1-row tiles (16 registers) or not
            for (int batch : new int[] {1, 3, 4, 5, 8, 9, 12, 13, 16, 17, 33, 36, 38}) {
                float[] x = randomFloats(3 + batch * (cols + 5), batch * 11L + cols);
                float[] want = new float[2 + batch * (rows + 9)];
                float[] got = want.clone();
                ref.matmul(exact, x, 3, cols + 5, want, 2, rows + 9, batch);
                ops.matmul(p, x, 3, cols + 5, got, 2, rows + 9, batch);
                for (int i = 0; i < want.length; i++) {
                    assertEquals(want[i], got[i], 1e-4f * cols, "batch " + batch + " index " + i);
                }
            }
        }
    }

    static List<Arguments> sliceCases() {
        List<Arguments> out = new ArrayList<>();
        for (DType dt : DType.values()) {
            out.add(Arguments.of(dt, 1));
            out.add(Arguments.of(dt, 2));
        }
        return out;
    }

    private void checkMatmul(Ops ops, Weight w, int batch, int xOff, int xStride, int yOff, int yStride) {
        int rows = w.rows;
        int cols = w.cols;
        float[] x = randomFloats(xOff + batch * xStride, 7 + batch);
        float[] want = new float[yOff + batch * yStride];
        float[] got = new float[want.length];
        java.util.Arrays.fill(want, 42f);
        java.util.Arrays.fill(got, 42f);
        ref.matmul(w, x, xOff, xStride, want, yOff, yStride, batch);
        ops.matmul(w, x, xOff, xStride, got, yOff, yStride, batch);
        float[] wf = w.toFloats();
        for (int b = 0; b < batch; b++) {
            for (int r = 0; r < rows; r++) {
                double mag = 0;
                for (int k = 0; k < cols; k++) {
                    mag += Math.abs(wf[r * cols + k] * x[xOff + b * xStride + k]);
                }
                int i = yOff + b * yStride + r;
                int bb = b;
                int rr = r;
                assertEquals(want[i], got[i], REL * mag + 1e-30,
                        () -> w + " b=" + bb + " r=" + rr + " batch=" + batch);
            }
        }
        // nothing outside the output rows is written
        for (int i = 0; i < got.length; i++) {
            int rel = i - yOff;
            boolean inside = rel >= 0 && rel % yStride < rows && rel / yStride < batch;
            if (!inside) {
                assertEquals(42f, got[i], "wrote outside y at " + i);
            }
        }
    }

    @Test
    void f16SpecialValues() {
        short[] bits = {0x0000, (short) 0x8000, 0x0001, 0x03FF, 0x0400, 0x3C00, (short) 0xBC00, 0x7BFF,
                0x7C00, (short) 0xFC00, 0x7E00, 0x3555, 0x0200, (short) 0x8001};
        int cols = 2 * VectorOps.I.length() * 2 + 1; // covers the vector path and the scalar tail
        float[] ones = new float[cols];
        java.util.Arrays.fill(ones, 1f);
        try (VectorOps ops = new VectorOps(1)) {
            for (short p : bits) {
                for (int k : new int[] {0, 1, 2, 17, 2 * VectorOps.I.length() - 1, cols - 2, cols - 1}) {
                    // one non-zero element at column k, x all ones: y is exactly that element
                    ByteBuffer bb = buffer(cols * 2, k % 2 == 0);
                    bb.putShort(k * 2, p);
                    Weight w = new Weight("f16", DType.F16, 1, cols, bb, null);
                    float[] y = new float[1];
                    ops.matmul(w, ones, 0, cols, y, 0, 1, 1);
                    float want = w.get(0, k);
                    String what = "col " + k + " bits " + Integer.toHexString(p & 0xFFFF);
                    if (Float.isNaN(want)) {
                        assertTrue(Float.isNaN(y[0]), what);
                    } else {
                        assertEquals(want, y[0], 0f, what);
                    }
                }
            }
        }
    }

    @Test
    void f16AllBitPatternsThroughVectorPath() {
        int cols = 2 * VectorOps.I.length(); // exactly one vector step, no scalar tail
        int rows = 65536;
        ByteBuffer bb = buffer(rows * cols * 2, true);
        for (int r = 0; r < rows; r++) {
            bb.putShort((r * cols + r % cols) * 2, (short) r); // pattern r at column r % cols, zeros else
        }
        Weight w = new Weight("f16-all", DType.F16, rows, cols, bb, null);
        float[] ones = new float[cols];
        java.util.Arrays.fill(ones, 1f);
        float[] y = new float[rows];
        try (VectorOps ops = new VectorOps(2)) {
            ops.matmul(w, ones, 0, cols, y, 0, rows, 1);
        }
        for (int r = 0; r < rows; r++) {
            float want = io.latentflow.engine.tensor.Floats.f16((short) r);
            if (Float.isNaN(want)) {
                assertTrue(Float.isNaN(y[r]), Integer.toHexString(r));
            } else if (want == 0f) {
                assertEquals(0f, y[r], 0f, Integer.toHexString(r)); // -0 + zeros sums to +0
            } else {
                assertEquals(want, y[r], 0f, Integer.toHexString(r));
            }
        }
    }

    // ---- dot / axpy / rmsnorm -------------------------------------------------------------------------

    @Test
    void dotAndAxpyMatchScalar() {
        try (VectorOps ops = new VectorOps(2)) {
            for (int n : new int[] {0, 1, 7, 15, 16, 17, 31, 33, 64, 129, 300, 1000}) {
                float[] a = randomFloats(n + 5, n);
                float[] b = randomFloats(n + 9, n + 1000);
                double mag = 0;
                for (int i = 0; i < n; i++) {
                    mag += Math.abs(a[3 + i] * b[8 + i]);
                }
                assertEquals(ref.dot(a, 3, b, 8, n), ops.dot(a, 3, b, 8, n), REL * mag + 1e-30, "dot n=" + n);

                float[] y1 = randomFloats(n + 4, n + 7);
                float[] y2 = y1.clone();
                ref.axpy(0.37f, a, 5, y1, 4, n);
                ops.axpy(0.37f, a, 5, y2, 4, n);
                for (int i = 0; i < y1.length; i++) {
                    assertEquals(y1[i], y2[i], 1e-6f * (1 + Math.abs(y1[i])), "axpy n=" + n + " i=" + i);
                }
            }
        }
    }

    /** Attention over cached rows: row tiles of four and leftovers, column tails, strides and offsets. */
    @Test
    void rowProductsAndWeightedRowsMatchScalar() {
        try (VectorOps ops = new VectorOps(1)) {
            for (int n : new int[] {1, 3, 4, 9, 33, 130}) {
                for (int cols : new int[] {5, 16, 40, 288}) {
                    for (int batch : new int[] {1, 3, 4, 5, 8}) {
                        int aStride = cols + 3;
                        float[] a = randomFloats(2 + n * aStride, n * 31L + cols);
                        float[] x = randomFloats(1 + batch * (cols + 2), batch * 7L + cols);
                        float[] want = new float[4 + batch * (n + 5)];
                        float[] got = want.clone();
                        ref.rowProducts(a, 2, aStride, n, cols, x, 1, cols + 2, want, 4, n + 5, batch);
                        ops.rowProducts(a, 2, aStride, n, cols, x, 1, cols + 2, got, 4, n + 5, batch);
                        assertArrayEquals(want, got, 1e-4f * cols, "rowProducts n=" + n + " cols=" + cols + " batch=" + batch);

                        float[] p = randomFloats(3 + batch * (n + 1), n * 13L + batch);
                        float[] y1 = randomFloats(2 + batch * (cols + 4), cols * 5L + batch);
                        float[] y2 = y1.clone();
                        ref.addWeightedRows(p, 3, n + 1, a, 2, aStride, n, cols, y1, 2, cols + 4, batch);
                        ops.addWeightedRows(p, 3, n + 1, a, 2, aStride, n, cols, y2, 2, cols + 4, batch);
                        assertArrayEquals(y1, y2, 1e-4f * n, "addWeightedRows n=" + n + " cols=" + cols + " batch=" + batch);
                    }
                }
            }
        }
    }

    @Test
    void forEachRunsEveryIndexOnceAndNestedMatmulsInline() {
        Weight w = random(DType.BF16, 96, 200, 3, true);
        try (VectorOps ops = new VectorOps(2)) {
            Weight p = ops.prepare(w);
            for (int n : new int[] {0, 1, 2, 3, 8, 33}) {
                int[] seen = new int[n];
                float[] x = randomFloats(n * 200, n);
                float[] got = new float[n * 96];
                // each index runs a packed matmul of its own row: inline on whichever thread runs it
                ops.forEach(n, i -> {
                    seen[i]++;
                    ops.matmul(p, x, i * 200, 200, got, i * 96, 96, 1);
                });
                float[] want = new float[n * 96];
                ref.matmul(w, x, 0, 200, want, 0, 96, n);
                for (int i = 0; i < n; i++) {
                    assertEquals(1, seen[i], "index " + i);
                }
                for (int i = 0; i < want.length; i++) {
                    assertEquals(want[i], got[i], 1e-3f * (1 + Math.abs(want[i])), "n=" + n + " i=" + i);
                }
            }
        }
    }

    @Test
    void swigluMatchesScalar() {
        try (VectorOps ops = new VectorOps(2)) {
            for (int n : new int[] {1, 15, 16, 17, 100, 1031}) {
                float[] g = randomFloats(n, n);
                for (int i = 0; i < n; i += 7) {
                    g[i] *= 30; // large |g|: exp saturates to 0 or inf
                }
                float[] u = randomFloats(n, n + 1);
                float[] want = g.clone();
                float[] got = g.clone();
                ref.swiglu(want, u, n);
                ops.swiglu(got, u, n);
                for (int i = 0; i < n; i++) {
                    assertEquals(want[i], got[i], 1e-5f * (1 + Math.abs(want[i])), "n=" + n + " i=" + i);
                }
            }
        }
    }

    @Test
    void softmaxMatchesScalarAndSumsToOne() {
        try (VectorOps ops = new VectorOps(2)) {
            for (int n : new int[] {1, 15, 16, 17, 160, 1031}) {
                float[] x = new float[n + 6];
                float[] r = randomFloats(n, n + 3);
                for (int i = 0; i < n; i++) {
                    x[3 + i] = 20 * r[i]; // wide scores: most exps are tiny next to the max
                }
                float[] want = x.clone();
                float[] got = x.clone();
                ref.softmax(want, 3, n, 0.125f);
                ops.softmax(got, 3, n, 0.125f);
                double sum = 0;
                for (int i = 0; i < x.length; i++) {
                    assertEquals(want[i], got[i], 1e-6f + 1e-5f * want[i], "n=" + n + " i=" + i);
                    sum += i >= 3 && i < 3 + n ? got[i] : 0;
                }
                assertEquals(1.0, sum, 1e-5, "n=" + n);
                assertEquals(0f, got[2], "n=" + n + ": nothing before off is written");
                assertEquals(0f, got[3 + n], "n=" + n + ": nothing past off + n is written");
            }
        }
    }

    @Test
    void rmsnormMatchesScalar() {
        try (VectorOps ops = new VectorOps(2)) {
            for (DType dt : DType.values()) {
                for (int n : new int[] {1, 7, 129, 300, 512}) {
                    Weight g = random(dt, 1, n, n + dt.ordinal(), dt.ordinal() % 2 == 0);
                    int batch = 3;
                    int stride = n + 5;
                    float[] x = randomFloats(2 + batch * stride, n);
                    float[] want = new float[1 + batch * stride];
                    float[] got = new float[want.length];
                    ref.rmsnorm(g, 1e-6f, x, 2, stride, want, 1, stride, batch);
                    ops.rmsnorm(g, 1e-6f, x, 2, stride, got, 1, stride, batch);
                    for (int i = 0; i < got.length; i++) {
                        assertEquals(want[i], got[i], 1e-4f * (1 + Math.abs(want[i])), dt + " n=" + n + " i=" + i);
                    }
                    // in place: x and y the same array and offsets
                    float[] inPlace = x.clone();
                    ops.rmsnorm(g, 1e-6f, inPlace, 2, stride, inPlace, 2, stride, batch);
                    for (int b = 0; b < batch; b++) {
                        for (int i = 0; i < n; i++) {
                            assertEquals(want[1 + b * stride + i], inPlace[2 + b * stride + i],
                                    1e-4f * (1 + Math.abs(want[1 + b * stride + i])), "in place " + dt);
                        }
                    }
                }
            }
        }
    }

    // ---- threads -----------------------------------------------------------------------------------

    @Test
    void nameReportsSpeciesAndThreads() {
        try (VectorOps ops = new VectorOps(2)) {
            assertEquals("vector(" + VectorOps.F.vectorBitSize() + "-bit, 2 threads)", ops.name());
        }
    }

    @Test
    void closeStopsWorkerThreads() throws InterruptedException {
        Set<Thread> before = opsThreads();
        VectorOps ops = new VectorOps(2);
        Weight w = random(DType.F32, 512, 512, 5, true);
        float[] x = randomFloats(512, 1);
        float[] y = new float[512];
        ops.matmul(w, x, 0, 512, y, 0, 512, 1); // 256K multiply-adds: runs on the pool
        Set<Thread> mine = opsThreads();
        mine.removeAll(before);
        assertFalse(mine.isEmpty(), "no latentflow-ops worker started");
        for (Thread t : mine) {
            assertTrue(t.isDaemon(), t + " is not a daemon");
        }
        ops.close();
        for (Thread t : mine) {
            t.join(5000);
            if (t.isAlive()) {
                fail(t + " still alive after close()");
            }
        }
    }

    private static Set<Thread> opsThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("latentflow-ops-") && t.isAlive())
                .collect(Collectors.toSet());
    }
}
