package io.latentflow.engine.ops;

import io.latentflow.engine.tensor.DType;
import io.latentflow.engine.tensor.Floats;
import io.latentflow.engine.tensor.Weight;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * jdk.incubator.vector kernels on a dedicated thread pool ({@link ParallelRows}).
 *
 * <p>The species is {@link FloatVector#SPECIES_PREFERRED}, never a hard-coded width: a JVM limited
 * to 256-bit (or 128-bit) vectors gets kernels of that width instead of a slow emulated 512-bit path.
 *
 * <p>matmul reads the weight straight from {@link Weight#bytes()} (little-endian, often memory
 * mapped) in its stored dtype; nothing is copied per call. Rows are processed in tiles of
 * {@value #TILE}: each loaded x vector feeds four weight rows, and for batch > 1 the tile's rows
 * are reused from cache for every batch row, so weight memory traffic does not grow with the batch.
 */
public final class VectorOps implements Ops {
    private static final Logger LOG = LoggerFactory.getLogger(VectorOps.class);

    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Ints of the same shape as {@link #F}, so that reinterpreting keeps the lane count. */
    static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    static final int FL = F.length();
    /** Weight rows per register tile. */
    static final int TILE = 4;
    /**
     * Vector registers the GEMM's register tiles may use ({@link PanelGemm}): x86 has 32 with AVX-512
     * and 16 without (AVX2), aarch64 32. {@code -Dlatentflow.vectorRegisters=16} or {@code 32}
     * overrides it (the tests run the other machine's tiles with it).
     */
    static final int REGISTERS = vectorRegisters(System.getProperty("latentflow.vectorRegisters"),
            System.getProperty("os.arch"), F.vectorBitSize());
    /**
     * The CPU's {@code vendor_id} ("GenuineIntel", "AuthenticAMD"; "" where /proc/cpuinfo has none): a
     * tile choice measured faster on one vendor's cores and slower on the other's
     * ({@link PanelGemm#NARROW_PASSES}) follows it.
     */
    static final String CPU_VENDOR = cpuVendor(Path.of("/proc/cpuinfo"));

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final int BF16_HIGH = 0xFFFF0000;
    private static final float[] F8_TABLE = new float[256];

    static {
        for (int b = 0; b < 256; b++) {
            F8_TABLE[b] = Floats.f8e4m3((byte) b);
        }
    }

    private final ParallelRows rows;
    private final String name;
    /** Prepared weights are quantised to int8 with per-row scales ({@link Int8Panels}). */
    private final boolean int8;
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);
    /** Where prepared weights live: 2 MiB-aligned chunks, for huge pages. */
    private final PackedArena arena = new PackedArena();

    public VectorOps(int threads) {
        this(threads, false);
    }

    /**
     * @param int8 quantise every prepared matrix to int8 with one scale per row (any stored dtype);
     *             unprepared weights keep their dtype
     */
    public VectorOps(int threads, boolean int8) {
        VectorApiVersion.require();
        this.rows = new ParallelRows(threads);
        this.int8 = int8;
        this.name = "vector(" + F.vectorBitSize() + "-bit, " + threads + (threads == 1 ? " thread" : " threads")
                + (int8 ? ", int8 weights)" : ")");
        LOG.info("Vector ops: species {} ({}-bit, {} float lanes, {} vector registers: {} staged GEMM tiles{}), {} thread(s){}",
                F, F.vectorBitSize(), FL, REGISTERS, PanelGemm.SIX_ROWS ? "6-row" : "8- and 12-row",
                PanelGemm.NARROW_PASSES ? ", 4-6 row BF16 blocks as passes over four panels" : "", threads,
                int8 ? ", int8 weights" : "");
        String thp = PackedArena.hugePageMode();
        if (!thp.equals("always")) {
            LOG.info("Transparent huge pages: {}; packed weights stay on 4 KiB pages (weights stream faster on huge"
                    + " pages: echo always > /sys/kernel/mm/transparent_hugepage/enabled)", thp);
        }
        if (F.vectorBitSize() < 256) {
            LOG.warn("Preferred vector species is only {}-bit; check -XX:UseAVX / -XX:MaxVectorSize", F.vectorBitSize());
        }
    }

    /** The vector registers of {@link #REGISTERS}: the override if set, else by architecture and species. */
    static int vectorRegisters(String override, String arch, int bits) {
        if (override != null && !override.isBlank()) {
            String v = override.strip();
            if (!v.equals("16") && !v.equals("32")) {
                throw new IllegalArgumentException("latentflow.vectorRegisters must be 16 or 32, not " + override);
            }
            return Integer.parseInt(v);
        }
        if (arch.equals("aarch64")) {
            return 32;
        }
        return bits >= 512 ? 32 : 16;
    }

    /** The first {@code vendor_id} of a /proc/cpuinfo, or "" where it is missing or unreadable. */
    static String cpuVendor(Path cpuinfo) {
        try (Stream<String> lines = Files.lines(cpuinfo)) {
            return lines.filter(l -> l.startsWith("vendor_id"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip())
                    .findFirst().orElse("");
        } catch (IOException | UncheckedIOException e) { // no /proc (not Linux), or not text
            return "";
        }
    }

    @Override
    public String name() {
        return name;
    }

    /** Per-thread buffers, grown on demand and reused: nothing is allocated in the kernels. */
    private static final class Scratch {
        /** Decoded weight rows (F8): TILE x cols. */
        float[] rows = new float[0];
        /** Raw F8 bytes of one row. */
        byte[] raw = new byte[0];
        /** x de-interleaved for the 16-bit kernels: even / odd columns, batch x (cols / 2). */
        float[] xEven = new float[0];
        float[] xOdd = new float[0];
        /** A decoded 1-row weight (rmsnorm). */
        float[] norm = new float[0];

        float[] rows(int n) {
            if (rows.length < n) {
                rows = new float[n];
            }
            return rows;
        }

        byte[] raw(int n) {
            if (raw.length < n) {
                raw = new byte[n];
            }
            return raw;
        }

        void xPairs(int n) {
            if (xEven.length < n) {
                xEven = new float[n];
                xOdd = new float[n];
            }
        }

        float[] norm(int n) {
            if (norm.length < n) {
                norm = new float[n];
            }
            return norm;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // matmul

    /**
     * BF16 and F32 matrices get column panels for {@link PanelGemm}; other dtypes stay as they are.
     * In int8 mode every matrix of at least one panel gets int8 panels instead.
     */
    @Override
    public Weight prepare(Weight w) {
        if (w.packed() != null || w.rows < PanelGemm.NB) {
            return w;
        }
        if (int8) {
            return w.withPacked(Int8Panels.pack(w, arena));
        }
        return PanelGemm.packable(w.dtype) ? w.withPacked(PanelGemm.pack(w, arena)) : w;
    }

    /**
     * In int8 mode the weight keeps its stored values (the row kernels read them), copied out of the
     * mapped file, whose pages are slow to read once a step on the shared VM ({@link Weight#inMemory});
     * else {@link #prepare}.
     */
    @Override
    public Weight prepareExact(Weight w) {
        return int8 ? w.inMemory() : prepare(w);
    }

    @Override
    public void matmul(Weight w, float[] x, int xOff, int xStride, float[] y, int yOff, int yStride, int batch) {
        if (batch <= 0 || w.rows == 0) {
            return;
        }
        int cols = w.cols;
        if (cols == 0) {
            for (int b = 0; b < batch; b++) {
                java.util.Arrays.fill(y, yOff + b * yStride, yOff + b * yStride + w.rows, 0f);
            }
            return;
        }
        if (w.packed() != null) {
            PanelGemm.matmul(rows, w, PanelGemm.format(w, int8), x, xOff, xStride, y, yOff, yStride, batch);
            return;
        }
        long work = (long) w.rows * cols * batch;
        ByteBuffer bb = w.bytes();
        switch (w.dtype) {
            case F32:
                rows.forRows(w.rows, TILE, work,
                        (r0, r1) -> f32Rows(bb, cols, r0, r1, x, xOff, xStride, y, yOff, yStride, batch));
                break;
            case BF16:
            case F16: {
                boolean f16 = w.dtype == DType.F16;
                int pairs = cols / 2;
                Scratch s = scratch.get();
                s.xPairs(batch * pairs);
                float[] xe = s.xEven;
                float[] xo = s.xOdd;
                // x[b][2j] -> xe[b*pairs + j], x[b][2j+1] -> xo[b*pairs + j]: lanes of a loaded int
                // pair vector split into even and odd columns, so x must be split the same way
                for (int b = 0; b < batch; b++) {
                    int src = xOff + b * xStride;
                    int dst = b * pairs;
                    for (int j = 0; j < pairs; j++) {
                        xe[dst + j] = x[src + 2 * j];
                        xo[dst + j] = x[src + 2 * j + 1];
                    }
                }
                if (f16) {
                    rows.forRows(w.rows, TILE, work, (r0, r1) ->
                            pairRowsF16(bb, cols, r0, r1, xe, xo, x, xOff, xStride, y, yOff, yStride, batch));
                } else {
                    rows.forRows(w.rows, TILE, work, (r0, r1) ->
                            pairRowsBf16(bb, cols, r0, r1, xe, xo, x, xOff, xStride, y, yOff, yStride, batch));
                }
                break;
            }
            case F8_E4M3: {
                Weight scales = w.scaleInv();
                int rowBase = w.rowBase();
                rows.forRows(w.rows, TILE, work, (r0, r1) ->
                        f8Rows(bb, scales, rowBase, cols, r0, r1, x, xOff, xStride, y, yOff, yStride, batch));
                break;
            }
            default:
                throw new UnsupportedOperationException(w.dtype.toString());
        }
    }

    /**
     * F32 weights, rows [r0, r1): {@code y[b][r] = Σ_k w[r][k] · x[b][k]}, four rows at a time; each
     * x vector is loaded once per k-step and fused into the four row accumulators. A short last tile
     * repeats its last row (computed, not stored).
     */
    private static void f32Rows(ByteBuffer bb, int cols, int r0, int r1, float[] x, int xOff, int xStride,
                                float[] y, int yOff, int yStride, int batch) {
        int rowBytes = cols * 4;
        int bound = F.loopBound(cols);
        for (int r = r0; r < r1; r += TILE) {
            int n = Math.min(TILE, r1 - r);
            int o0 = r * rowBytes;
            int o1 = (r + Math.min(1, n - 1)) * rowBytes;
            int o2 = (r + Math.min(2, n - 1)) * rowBytes;
            int o3 = (r + Math.min(3, n - 1)) * rowBytes;
            for (int b = 0; b < batch; b++) {
                int xb = xOff + b * xStride;
                FloatVector a0 = FloatVector.zero(F);
                FloatVector a1 = FloatVector.zero(F);
                FloatVector a2 = FloatVector.zero(F);
                FloatVector a3 = FloatVector.zero(F);
                int k = 0;
                // a_i += w[r+i][k .. k+FL) * x[b][k .. k+FL)
                for (; k < bound; k += FL) {
                    FloatVector xv = FloatVector.fromArray(F, x, xb + k);
                    int kb = k * 4;
                    a0 = FloatVector.fromByteBuffer(F, bb, o0 + kb, LE).fma(xv, a0);
                    a1 = FloatVector.fromByteBuffer(F, bb, o1 + kb, LE).fma(xv, a1);
                    a2 = FloatVector.fromByteBuffer(F, bb, o2 + kb, LE).fma(xv, a2);
                    a3 = FloatVector.fromByteBuffer(F, bb, o3 + kb, LE).fma(xv, a3);
                }
                float s0 = a0.reduceLanes(VectorOperators.ADD);
                float s1 = a1.reduceLanes(VectorOperators.ADD);
                float s2 = a2.reduceLanes(VectorOperators.ADD);
                float s3 = a3.reduceLanes(VectorOperators.ADD);
                // scalar tail: k in [bound, cols)
                for (; k < cols; k++) {
                    float xk = x[xb + k];
                    int kb = k * 4;
                    s0 += bb.getFloat(o0 + kb) * xk;
                    s1 += bb.getFloat(o1 + kb) * xk;
                    s2 += bb.getFloat(o2 + kb) * xk;
                    s3 += bb.getFloat(o3 + kb) * xk;
                }
                store(y, yOff + b * yStride + r, n, s0, s1, s2, s3);
            }
        }
    }

    /**
     * BF16 weights (F16: {@link #pairRowsF16}), rows [r0, r1). An int lane holds the column pair (2j, 2j+1) of a row
     * (little-endian: column 2j in the low half). For BF16, {@code even = bits << 16} and
     * {@code odd = bits & 0xFFFF0000} reinterpreted as floats. Then
     * {@code y[b][r] = Σ_j even[j]·x[b][2j] + odd[j]·x[b][2j+1]}, with x pre-split into xe / xo.
     * An odd last column and pairs past the vector bound are added by a scalar tail.
     */
    private static void pairRowsBf16(ByteBuffer bb, int cols, int r0, int r1, float[] xe, float[] xo,
                                 float[] x, int xOff, int xStride, float[] y, int yOff, int yStride, int batch) {
        int rowBytes = cols * 2;
        int pairs = cols / 2;
        int bound = I.loopBound(pairs);
        int il = I.length();
        for (int r = r0; r < r1; r += TILE) {
            int n = Math.min(TILE, r1 - r);
            int o0 = r * rowBytes;
            int o1 = (r + Math.min(1, n - 1)) * rowBytes;
            int o2 = (r + Math.min(2, n - 1)) * rowBytes;
            int o3 = (r + Math.min(3, n - 1)) * rowBytes;
            for (int b = 0; b < batch; b++) {
                int pb = b * pairs;
                FloatVector e0 = FloatVector.zero(F);
                FloatVector e1 = FloatVector.zero(F);
                FloatVector e2 = FloatVector.zero(F);
                FloatVector e3 = FloatVector.zero(F);
                FloatVector d0 = FloatVector.zero(F);
                FloatVector d1 = FloatVector.zero(F);
                FloatVector d2 = FloatVector.zero(F);
                FloatVector d3 = FloatVector.zero(F);
                int j = 0;
                for (; j < bound; j += il) {
                    FloatVector xev = FloatVector.fromArray(F, xe, pb + j);
                    FloatVector xov = FloatVector.fromArray(F, xo, pb + j);
                    int jb = j * 4;
                    IntVector v0 = IntVector.fromByteBuffer(I, bb, o0 + jb, LE);
                    IntVector v1 = IntVector.fromByteBuffer(I, bb, o1 + jb, LE);
                    IntVector v2 = IntVector.fromByteBuffer(I, bb, o2 + jb, LE);
                    IntVector v3 = IntVector.fromByteBuffer(I, bb, o3 + jb, LE);
                    e0 = v0.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(xev, e0);
                    d0 = v0.and(BF16_HIGH).reinterpretAsFloats().fma(xov, d0);
                    e1 = v1.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(xev, e1);
                    d1 = v1.and(BF16_HIGH).reinterpretAsFloats().fma(xov, d1);
                    e2 = v2.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(xev, e2);
                    d2 = v2.and(BF16_HIGH).reinterpretAsFloats().fma(xov, d2);
                    e3 = v3.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(xev, e3);
                    d3 = v3.and(BF16_HIGH).reinterpretAsFloats().fma(xov, d3);
                }
                float s0 = e0.add(d0).reduceLanes(VectorOperators.ADD);
                float s1 = e1.add(d1).reduceLanes(VectorOperators.ADD);
                float s2 = e2.add(d2).reduceLanes(VectorOperators.ADD);
                float s3 = e3.add(d3).reduceLanes(VectorOperators.ADD);
                // scalar tail: columns [2*bound, cols), including an odd last column
                int xb = xOff + b * xStride;
                for (int k = 2 * bound; k < cols; k++) {
                    float xk = x[xb + k];
                    int kb = k * 2;
                    s0 += Floats.bf16(bb.getShort(o0 + kb)) * xk;
                    s1 += Floats.bf16(bb.getShort(o1 + kb)) * xk;
                    s2 += Floats.bf16(bb.getShort(o2 + kb)) * xk;
                    s3 += Floats.bf16(bb.getShort(o3 + kb)) * xk;
                }
                store(y, yOff + b * yStride + r, n, s0, s1, s2, s3);
            }
        }
    }


    /** As {@link #pairRowsBf16} for F16 weights; a separate method so that C2 compiles each loop on its own. */
    private static void pairRowsF16(ByteBuffer bb, int cols, int r0, int r1, float[] xe, float[] xo,
                                 float[] x, int xOff, int xStride, float[] y, int yOff, int yStride, int batch) {
        int rowBytes = cols * 2;
        int pairs = cols / 2;
        int bound = I.loopBound(pairs);
        int il = I.length();
        for (int r = r0; r < r1; r += TILE) {
            int n = Math.min(TILE, r1 - r);
            int o0 = r * rowBytes;
            int o1 = (r + Math.min(1, n - 1)) * rowBytes;
            int o2 = (r + Math.min(2, n - 1)) * rowBytes;
            int o3 = (r + Math.min(3, n - 1)) * rowBytes;
            for (int b = 0; b < batch; b++) {
                int pb = b * pairs;
                FloatVector e0 = FloatVector.zero(F);
                FloatVector e1 = FloatVector.zero(F);
                FloatVector e2 = FloatVector.zero(F);
                FloatVector e3 = FloatVector.zero(F);
                FloatVector d0 = FloatVector.zero(F);
                FloatVector d1 = FloatVector.zero(F);
                FloatVector d2 = FloatVector.zero(F);
                FloatVector d3 = FloatVector.zero(F);
                int j = 0;
                // IEEE half h (16 bits of a lane) to float32, without float denormals anywhere:
                //   normal:            ((h & 0x7FFF) << 13) + ((127 - 15) << 23)   (rebias exponent)
                //   subnormal (exp 0):  (h & 0x3FF) * 2^-24 = float(0x3F000000 | (h & 0x3FF)) - 0.5  (exact)
                //   inf/NaN (exp 31):   ((h & 0x7FFF) << 13) | 0x7F800000
                //   then the sign       (h & 0x8000) << 16
                // Written out inline: as a helper method it is too large for C2 to inline here,
                // and then every vector is boxed (measured ~20x slower).
                for (; j < bound; j += il) {
                    FloatVector xev = FloatVector.fromArray(F, xe, pb + j);
                    FloatVector xov = FloatVector.fromArray(F, xo, pb + j);
                    int jb = j * 4;
                    IntVector v0 = IntVector.fromByteBuffer(I, bb, o0 + jb, LE);
                    IntVector l0 = v0.and(0xFFFF);
                    IntVector l0m = l0.and(0x7FFF).lanewise(VectorOperators.LSHL, 13);
                    IntVector l0x = l0.and(0x7C00);
                    IntVector l0s = l0.and(0x3FF).or(0x3F000000).reinterpretAsFloats().sub(0.5f)
                            .reinterpretAsInts();
                    e0 = l0m.add(112 << 23).blend(l0s, l0x.eq(0)).blend(l0m.or(0x7F800000), l0x.eq(0x7C00))
                            .or(l0.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats()
                            .fma(xev, e0);
                    IntVector h0 = v0.lanewise(VectorOperators.LSHR, 16);
                    IntVector h0m = h0.and(0x7FFF).lanewise(VectorOperators.LSHL, 13);
                    IntVector h0x = h0.and(0x7C00);
                    IntVector h0s = h0.and(0x3FF).or(0x3F000000).reinterpretAsFloats().sub(0.5f)
                            .reinterpretAsInts();
                    d0 = h0m.add(112 << 23).blend(h0s, h0x.eq(0)).blend(h0m.or(0x7F800000), h0x.eq(0x7C00))
                            .or(h0.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats()
                            .fma(xov, d0);
                    IntVector v1 = IntVector.fromByteBuffer(I, bb, o1 + jb, LE);
                    IntVector l1 = v1.and(0xFFFF);
                    IntVector l1m = l1.and(0x7FFF).lanewise(VectorOperators.LSHL, 13);
                    IntVector l1x = l1.and(0x7C00);
                    IntVector l1s = l1.and(0x3FF).or(0x3F000000).reinterpretAsFloats().sub(0.5f)
                            .reinterpretAsInts();
                    e1 = l1m.add(112 << 23).blend(l1s, l1x.eq(0)).blend(l1m.or(0x7F800000), l1x.eq(0x7C00))
                            .or(l1.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats()
                            .fma(xev, e1);
                    IntVector h1 = v1.lanewise(VectorOperators.LSHR, 16);
                    IntVector h1m = h1.and(0x7FFF).lanewise(VectorOperators.LSHL, 13);
                    IntVector h1x = h1.and(0x7C00);
                    IntVector h1s = h1.and(0x3FF).or(0x3F000000).reinterpretAsFloats().sub(0.5f)
                            .reinterpretAsInts();
                    d1 = h1m.add(112 << 23).blend(h1s, h1x.eq(0)).blend(h1m.or(0x7F800000), h1x.eq(0x7C00))
                            .or(h1.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats()
                            .fma(xov, d1);
                    IntVector v2 = IntVector.fromByteBuffer(I, bb, o2 + jb, LE);
                    IntVector l2 = v2.and(0xFFFF);
                    IntVector l2m = l2.and(0x7FFF).lanewise(VectorOperators.LSHL, 13);
                    IntVector l2x = l2.and(0x7C00);
                    IntVector l2s = l2.and(0x3FF).or(0x3F000000).reinterpretAsFloats().sub(0.5f)
                            .reinterpretAsInts();
                    e2 = l2m.add(112 << 23).blend(l2s, l2x.eq(0)).blend(l2m.or(0x7F800000), l2x.eq(0x7C00))
                            .or(l2.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats()
                            .fma(xev, e2);
                    IntVector h2 = v2.lanewise(VectorOperators.LSHR, 16);
                    IntVector h2m = h2.and(0x7FFF).lanewise(VectorOperators.LSHL, 13);
                    IntVector h2x = h2.and(0x7C00);
                    IntVector h2s = h2.and(0x3FF).or(0x3F000000).reinterpretAsFloats().sub(0.5f)
                            .reinterpretAsInts();
                    d2 = h2m.add(112 << 23).blend(h2s, h2x.eq(0)).blend(h2m.or(0x7F800000), h2x.eq(0x7C00))
                            .or(h2.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats()
                            .fma(xov, d2);
                    IntVector v3 = IntVector.fromByteBuffer(I, bb, o3 + jb, LE);
                    IntVector l3 = v3.and(0xFFFF);
                    IntVector l3m = l3.and(0x7FFF).lanewise(VectorOperators.LSHL, 13);
                    IntVector l3x = l3.and(0x7C00);
                    IntVector l3s = l3.and(0x3FF).or(0x3F000000).reinterpretAsFloats().sub(0.5f)
                            .reinterpretAsInts();
                    e3 = l3m.add(112 << 23).blend(l3s, l3x.eq(0)).blend(l3m.or(0x7F800000), l3x.eq(0x7C00))
                            .or(l3.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats()
                            .fma(xev, e3);
                    IntVector h3 = v3.lanewise(VectorOperators.LSHR, 16);
                    IntVector h3m = h3.and(0x7FFF).lanewise(VectorOperators.LSHL, 13);
                    IntVector h3x = h3.and(0x7C00);
                    IntVector h3s = h3.and(0x3FF).or(0x3F000000).reinterpretAsFloats().sub(0.5f)
                            .reinterpretAsInts();
                    d3 = h3m.add(112 << 23).blend(h3s, h3x.eq(0)).blend(h3m.or(0x7F800000), h3x.eq(0x7C00))
                            .or(h3.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats()
                            .fma(xov, d3);
                }
                float s0 = e0.add(d0).reduceLanes(VectorOperators.ADD);
                float s1 = e1.add(d1).reduceLanes(VectorOperators.ADD);
                float s2 = e2.add(d2).reduceLanes(VectorOperators.ADD);
                float s3 = e3.add(d3).reduceLanes(VectorOperators.ADD);
                // scalar tail: columns [2*bound, cols), including an odd last column
                int xb = xOff + b * xStride;
                for (int k = 2 * bound; k < cols; k++) {
                    float xk = x[xb + k];
                    int kb = k * 2;
                    s0 += Floats.f16(bb.getShort(o0 + kb)) * xk;
                    s1 += Floats.f16(bb.getShort(o1 + kb)) * xk;
                    s2 += Floats.f16(bb.getShort(o2 + kb)) * xk;
                    s3 += Floats.f16(bb.getShort(o3 + kb)) * xk;
                }
                store(y, yOff + b * yStride + r, n, s0, s1, s2, s3);
            }
        }
    }

    /**
     * F8_E4M3 weights with block scales, rows [r0, r1). Each row of a tile is decoded once through
     * the 256-entry e4m3 table, times its block scale {@code scaleInv[(rowBase + r) / 128][c / 128]}
     * per 128 columns, into a per-thread float buffer; then {@code y[b][r] = Σ_k w[r][k] · x[b][k]}
     * for every batch row from that buffer, so the stored bytes are read once per call.
     */
    private void f8Rows(ByteBuffer bb, Weight scales, int rowBase, int cols, int r0, int r1, float[] x, int xOff,
                        int xStride, float[] y, int yOff, int yStride, int batch) {
        Scratch s = scratch.get();
        float[] buf = s.rows(TILE * cols);
        byte[] raw = s.raw(cols);
        for (int r = r0; r < r1; r += TILE) {
            int n = Math.min(TILE, r1 - r);
            for (int i = 0; i < n; i++) {
                decodeF8Row(bb, scales, rowBase, r + i, cols, raw, buf, i * cols);
            }
            int o1 = Math.min(1, n - 1) * cols;
            int o2 = Math.min(2, n - 1) * cols;
            int o3 = Math.min(3, n - 1) * cols;
            for (int b = 0; b < batch; b++) {
                dot4(buf, 0, o1, o2, o3, cols, x, xOff + b * xStride, y, yOff + b * yStride + r, n);
            }
        }
    }

    /** {@code dst[off + c] = e4m3(w[r][c]) · scaleInv[(rowBase + r) / 128][c / 128]} for c < cols. */
    private static void decodeF8Row(ByteBuffer bb, Weight scales, int rowBase, int r, int cols, byte[] raw,
                                    float[] dst, int off) {
        bb.get(r * cols, raw, 0, cols);
        int sr = (rowBase + r) / Weight.F8_BLOCK;
        for (int c0 = 0, blk = 0; c0 < cols; c0 += Weight.F8_BLOCK, blk++) {
            float scale = scales.get(sr, blk);
            int c1 = Math.min(cols, c0 + Weight.F8_BLOCK);
            for (int c = c0; c < c1; c++) {
                dst[off + c] = F8_TABLE[raw[c] & 0xFF] * scale;
            }
        }
    }

    /**
     * Four decoded rows at w[o0..], w[o1..], w[o2..], w[o3..] against one x row:
     * {@code y[yo + i] = Σ_k w[oi + k] · x[xo + k]} for i < n.
     */
    private static void dot4(float[] w, int o0, int o1, int o2, int o3, int cols, float[] x, int xo, float[] y,
                             int yo, int n) {
        int bound = F.loopBound(cols);
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        FloatVector a2 = FloatVector.zero(F);
        FloatVector a3 = FloatVector.zero(F);
        int k = 0;
        for (; k < bound; k += FL) {
            FloatVector xv = FloatVector.fromArray(F, x, xo + k);
            a0 = FloatVector.fromArray(F, w, o0 + k).fma(xv, a0);
            a1 = FloatVector.fromArray(F, w, o1 + k).fma(xv, a1);
            a2 = FloatVector.fromArray(F, w, o2 + k).fma(xv, a2);
            a3 = FloatVector.fromArray(F, w, o3 + k).fma(xv, a3);
        }
        float s0 = a0.reduceLanes(VectorOperators.ADD);
        float s1 = a1.reduceLanes(VectorOperators.ADD);
        float s2 = a2.reduceLanes(VectorOperators.ADD);
        float s3 = a3.reduceLanes(VectorOperators.ADD);
        for (; k < cols; k++) {
            float xk = x[xo + k];
            s0 += w[o0 + k] * xk;
            s1 += w[o1 + k] * xk;
            s2 += w[o2 + k] * xk;
            s3 += w[o3 + k] * xk;
        }
        store(y, yo, n, s0, s1, s2, s3);
    }

    /** Stores the first n of a tile's four sums at y[yo ..]. */
    private static void store(float[] y, int yo, int n, float s0, float s1, float s2, float s3) {
        y[yo] = s0;
        if (n > 1) {
            y[yo + 1] = s1;
        }
        if (n > 2) {
            y[yo + 2] = s2;
        }
        if (n > 3) {
            y[yo + 3] = s3;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // vector helpers

    @Override
    public void rowProducts(float[] a, int aOff, int aStride, int n, int cols, float[] x, int xOff, int xStride,
                            float[] y, int yOff, int yStride, int batch) {
        RowKernels.rowProducts(a, aOff, aStride, n, cols, x, xOff, xStride, y, yOff, yStride, batch);
    }

    @Override
    public void addWeightedRows(float[] p, int pOff, int pStride, float[] a, int aOff, int aStride, int n, int cols,
                                float[] y, int yOff, int yStride, int batch) {
        RowKernels.addWeightedRows(p, pOff, pStride, a, aOff, aStride, n, cols, y, yOff, yStride, batch);
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        // Σ_i a[i]·b[i], two vector accumulators, scalar tail
        int bound2 = n - n % (2 * FL);
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        int i = 0;
        for (; i < bound2; i += 2 * FL) {
            acc0 = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), acc0);
            acc1 = FloatVector.fromArray(F, a, aOff + i + FL).fma(FloatVector.fromArray(F, b, bOff + i + FL), acc1);
        }
        int bound = F.loopBound(n);
        for (; i < bound; i += FL) {
            acc0 = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), acc0);
        }
        float s = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += a[aOff + i] * b[bOff + i];
        }
        return s;
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        RowKernels.axpy(alpha, x, xOff, y, yOff, n);
    }

    @Override
    public int parallelism() {
        return rows.threads();
    }

    @Override
    public void forEach(int n, java.util.function.IntConsumer body) {
        rows.forRows(n, 1, Long.MAX_VALUE, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                body.accept(i);
            }
        });
    }

    /**
     * Vector exp (an intrinsic on x86 since JDK 16, within an ulp or two of Math.exp): at batch 32 a
     * scalar Math.exp per expert activation cost over a tenth of the MoE layer.
     */
    @Override
    public void swiglu(float[] g, float[] u, int n) {
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += FL) {
            FloatVector v = FloatVector.fromArray(F, g, i);
            FloatVector e = v.neg().lanewise(VectorOperators.EXP).add(1f);
            v.div(e).mul(FloatVector.fromArray(F, u, i)).intoArray(g, i);
        }
        for (; i < n; i++) {
            float v = g[i];
            g[i] = v / (1f + (float) Math.exp(-v)) * u[i];
        }
    }

    /**
     * Vector max, exp and sum: absorbed decode takes a softmax per head over every cached position,
     * and a scalar Math.exp per score cost about a quarter of the attention's row work at batch 32.
     */
    @Override
    public void softmax(float[] x, int off, int n, float scale) {
        int bound = F.loopBound(n);
        FloatVector vmax = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (; i < bound; i += FL) {
            vmax = vmax.max(FloatVector.fromArray(F, x, off + i));
        }
        float max = vmax.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            max = Math.max(max, x[off + i]);
        }
        FloatVector vsum = FloatVector.zero(F);
        for (i = 0; i < bound; i += FL) {
            FloatVector e = FloatVector.fromArray(F, x, off + i).sub(max).mul(scale).lanewise(VectorOperators.EXP);
            e.intoArray(x, off + i);
            vsum = vsum.add(e);
        }
        float sum = vsum.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            x[off + i] = (float) Math.exp((x[off + i] - max) * scale);
            sum += x[off + i];
        }
        float inv = 1f / sum;
        for (i = 0; i < bound; i += FL) {
            FloatVector.fromArray(F, x, off + i).mul(inv).intoArray(x, off + i);
        }
        for (; i < n; i++) {
            x[off + i] *= inv;
        }
    }

    @Override
    public void rmsnorm(Weight w, float eps, float[] x, int xOff, int xStride, float[] y, int yOff, int yStride,
                        int batch) {
        int n = w.cols;
        if (batch <= 0 || n == 0) {
            return;
        }
        float[] g = decodeRow0(w, scratch.get().norm(n));
        int bound = F.loopBound(n);
        for (int b = 0; b < batch; b++) {
            int xo = xOff + b * xStride;
            int yo = yOff + b * yStride;
            // ss = Σ_i x[i]²
            FloatVector acc = FloatVector.zero(F);
            int i = 0;
            for (; i < bound; i += FL) {
                FloatVector xv = FloatVector.fromArray(F, x, xo + i);
                acc = xv.fma(xv, acc);
            }
            float ss = acc.reduceLanes(VectorOperators.ADD);
            for (; i < n; i++) {
                ss += x[xo + i] * x[xo + i];
            }
            float inv = (float) (1.0 / Math.sqrt(ss / n + eps));
            // y[i] = g[i] · (x[i] · inv); element-wise, so x and y may be the same row
            i = 0;
            for (; i < bound; i += FL) {
                FloatVector.fromArray(F, x, xo + i).mul(inv)
                        .mul(FloatVector.fromArray(F, g, i))
                        .intoArray(y, yo + i);
            }
            for (; i < n; i++) {
                y[yo + i] = g[i] * (x[xo + i] * inv);
            }
        }
    }

    /** Row 0 of w as float32 into dst (any dtype). */
    private static float[] decodeRow0(Weight w, float[] dst) {
        int n = w.cols;
        ByteBuffer bb = w.bytes();
        switch (w.dtype) {
            case F32:
                bb.asFloatBuffer().get(0, dst, 0, n);
                break;
            case BF16:
                for (int i = 0; i < n; i++) {
                    dst[i] = Floats.bf16(bb.getShort(2 * i));
                }
                break;
            case F16:
                for (int i = 0; i < n; i++) {
                    dst[i] = Floats.f16(bb.getShort(2 * i));
                }
                break;
            default:
                w.readRow(0, dst, 0);
        }
        return dst;
    }

    @Override
    public void close() {
        rows.close();
    }
}
