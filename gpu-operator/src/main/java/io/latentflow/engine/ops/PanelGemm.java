package io.latentflow.engine.ops;

import io.latentflow.engine.tensor.DType;
import io.latentflow.engine.tensor.Weight;
import java.nio.ByteBuffer;
import java.util.Arrays;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code y[b][r] = Σ_k w[r][k] · x[b][k]} over weights packed once at load into column panels, as an
 * outer-product GEMM: a register tile of up to 8 token rows × {@link #NB} weight rows (two float
 * vectors) keeps 16 accumulators, 12 rows (24) in staged BF16 blocks; per k one panel load feeds two
 * fused multiply-adds per token row, with broadcast x values. The row-dot-product kernels of
 * {@link VectorOps} re-stream x for every 4-row weight tile; here each panel element is loaded once
 * per token tile.
 *
 * <p>Panel layout: weight rows in blocks of NB = 2 · lanes; block p holds, for every k, the column
 * {@code w[p·NB .. p·NB + NB)[k]} contiguously (rows past the end are zero).
 * <ul>
 *   <li>F32: NB floats per k.</li>
 *   <li>BF16: lanes ints per k; int lane j = {@code bf16(w[p·NB + j][k]) | bf16(w[p·NB + lanes + j][k]) << 16},
 *   so {@code v << 16} gives the first vector and {@code v & 0xFFFF0000} the second: the split is
 *   two integer ops and the panel keeps BF16's half of the memory traffic.</li>
 *   <li>I8: NB bytes per k and a scale per row ({@link Int8Panels}).</li>
 * </ul>
 * Loops: k in blocks of {@value #KC} (x rows of a block stay in L1/L2), tokens in blocks of
 * {@value #MC}, panels split across threads. A block of at least {@link #STAGE_ROWS} tokens is
 * compute-bound: its first token tile reads each panel from memory and fills a heap stage, where
 * the other tiles run ({@link StagedPanels}); its sums go to y row by row, a KiB of each row at a
 * time ({@link #YG}). Calls with such blocks pack x once for all threads ({@link #packShared}) and
 * hand out the panels in units that each thread claims when it is free. A smaller block streams
 * weights from memory, the panels split evenly (claimed sub-ranges measured no faster for the
 * lm_head at batch 1 and 8): the thread's panels in
 * sub-ranges, each in groups of {@value #PG} panels a quarter of the sub-range (about
 * {@value #STREAM_SPACING} bytes) apart, the token tiles of a group while its panels are in cache,
 * and every kernel keeps several memory streams in flight.
 *
 * <p>The kernels: {@link PanelTiles} (one panel, streaming), {@link FourPanelTiles} (four panels
 * side by side), {@link StreamTiles16} and {@link SixRowTiles} (16 vector registers),
 * {@link StagedPanels} and {@link StagedWideTiles} (staged, 32 registers) and {@link Int8Panels}.
 * They repeat the same register tile on purpose: one method per format and tile, straight-line,
 * with no lambda or helper holding vectors, because that is the code C2 reliably keeps in registers
 * (a shared helper that missed inlining once made a kernel tens of times slower without an error).
 * And no larger than C1 can compile with full profiling (tier 3): a kernel that only tier 2 can
 * compile may stay there, with the Vector API not intrinsified, about 20 times slower
 * ({@code KernelsCompileAtTier3Test}).
 */
final class PanelGemm {
    static final VectorSpecies<Float> F = VectorOps.F;
    static final VectorSpecies<Integer> I = VectorOps.I;
    static final int FL = F.length();
    /** Weight rows per panel: two float vectors. */
    static final int NB = 2 * FL;
    /** Token rows of the largest register tile ({@link StagedWideTiles}). */
    static final int MR = 12;
    /**
     * With 16 vector registers ({@link VectorOps#REGISTERS}) staged (compute-bound) blocks run
     * {@link SixRowTiles}, 12 accumulators: the 8- and 12-row tiles spilled theirs there. Streaming
     * blocks keep their tiles ({@link #tileRows}).
     */
    static final boolean SIX_ROWS = VectorOps.REGISTERS < 32;
    static final int KC = 1024;
    /** Token rows per block; 120 with 6-row tiles, a multiple of 6. */
    static final int MC = SIX_ROWS ? 120 : 128;
    /**
     * Panels a one-row tile reads side by side, a quarter of a sub-range apart. A core streams
     * from memory only as fast as it keeps misses in flight: one sequential stream measured about
     * 15 GB/s for two threads, four interleaved streams 22 (the prefetcher follows each), and more
     * when each stream runs on through consecutive panels instead of restarting every panel.
     */
    static final int PG = 4;
    /**
     * Bytes between the streams of a group (at least one panel's k-block). Measured on the batch-1
     * lm_head (32000×1024 BF16, two threads): 64 or 256 KB apart 22-23.5 GB/s, 1 MB 12, 4 MB 22.5, a
     * quarter of each thread's half (8 MB) 20: some distances between concurrent streams collide in
     * the memory system.
     */
    static final int STREAM_SPACING = 256 << 10;
    /**
     * With 32 vector registers a narrow block of 4 to 6 rows runs as passes of 2- and 3-row tiles
     * over four panels side by side ({@link FourPanelTiles}), the later passes from L2, instead of
     * one 4-, 6- or 8-row tile over one panel at a time: four long memory streams instead of four
     * short k streams restarting at every panel. One thread, one BF16 expert matrix (512×1024 or
     * 1024×512) from memory, the two builds alternating, time ratios on a Zen 5 (AVX-512): 4 rows
     * (2 + 2) 0.77–0.82, 5 (3 + 2) 0.83–0.86, 6 (3 + 3) 0.91–0.92; 7 rows as 3 + 2 + 2 measured
     * 1.0 and 8 as 3 + 3 + 2 1.25, so those keep the 8-row tile. On the Xeon of 30 November (2 MiB
     * L2), with each matrix split across two threads, 4 and 6 rows as two passes measured slower
     * (143 against 130 µs and 155 against 110, the log). On a Xeon of 1 December (Emerald Rapids,
     * 2 MiB L2, about 21 GB/s for two threads) the passes cost too, whole runs at batch 32: experts
     * 7.45 against 6.63 ms a layer (means of five alternating pairs, each pair slower with them).
     * So they run on AMD cores only; {@code -Dlatentflow.narrowPasses=true} or {@code false}
     * overrides that (the tests run them with it, whatever the machine).
     */
    static final boolean NARROW_PASSES = !SIX_ROWS
            && narrowPasses(System.getProperty("latentflow.narrowPasses"), VectorOps.CPU_VENDOR);

    /** {@link #NARROW_PASSES} on 32 registers: the override if set, else on AMD cores. */
    static boolean narrowPasses(String override, String cpuVendor) {
        if (override != null && !override.isBlank()) {
            String v = override.strip();
            if (!v.equals("true") && !v.equals("false")) {
                throw new IllegalArgumentException("latentflow.narrowPasses must be true or false, not " + override);
            }
            return v.equals("true");
        }
        return cpuVendor.equals("AuthenticAMD");
    }

    /** How a packed buffer stores its values; {@link #step} bytes per k of one panel. */
    enum Format {
        F32(NB * 4), BF16(FL * 4), I8(NB);

        final int step;

        Format(int step) {
            this.step = step;
        }
    }

    private PanelGemm() {
    }

    static boolean packable(DType dt) {
        return dt == DType.F32 || dt == DType.BF16;
    }

    /** Bytes of one k-step of a panel. */
    private static int stepBytes(DType dt) {
        return dt == DType.F32 ? NB * 4 : FL * 4;
    }

    /** w's values in panel layout, off-heap in the arena (never a heap copy of the model). */
    static ByteBuffer pack(Weight w, PackedArena arena) {
        int panels = (w.rows + NB - 1) / NB;
        int cols = w.cols;
        long bytes = (long) panels * cols * stepBytes(w.dtype);
        ByteBuffer out = arena.allocate(bytes);
        ByteBuffer src = w.bytes();
        for (int p = 0; p < panels; p++) {
            for (int j = 0; j < NB; j++) {
                int r = p * NB + j;
                if (r >= w.rows) {
                    break; // direct buffers start zeroed
                }
                for (int k = 0; k < cols; k++) {
                    long step = ((long) p * cols + k) * stepBytes(w.dtype);
                    if (w.dtype == DType.F32) {
                        out.putFloat((int) (step + 4L * j), src.getFloat((r * cols + k) * 4));
                    } else {
                        // row j < FL: low half of int lane j; row FL + j: high half of lane j
                        int lane = j % FL;
                        int half = j / FL;
                        out.putShort((int) (step + 4L * lane + 2L * half), src.getShort((r * cols + k) * 2));
                    }
                }
            }
        }
        return out;
    }

    /** The format {@link #pack} (or {@link Int8Panels#pack} when int8) gives w. */
    static Format format(Weight w, boolean int8) {
        return int8 ? Format.I8 : w.dtype == DType.F32 ? Format.F32 : Format.BF16;
    }

    /** The matmul of {@link Ops#matmul} on w's packed panels, stored in format fmt. */
    static void matmul(ParallelRows pool, Weight w, Format fmt, float[] x, int xOff, int xStride, float[] y,
                       int yOff, int yStride, int batch) {
        ByteBuffer p = w.packed();
        int panels = (w.rows + NB - 1) / NB;
        if (batch < STAGE_ROWS) { // streaming only: each thread packs its few x rows itself
            long work = (long) w.rows * w.cols * batch;
            pool.forRows(panels, 1, work, (p0, p1) ->
                    range(p, fmt, w.rows, w.cols, p0, p1, x, xOff, xStride, y, yOff, yStride, batch, null));
            return;
        }
        // staged blocks: x packed once for all threads, panels in units the threads claim (at
        // least 8 a thread, whole groups of PG), or split evenly where that would take units
        // below PG panels
        int grain = Math.min(YG, panels / (8 * pool.threads())) / PG * PG;
        for (int s0 = 0; s0 < batch; s0 += SHARED_ROWS) {
            int n = Math.min(SHARED_ROWS, batch - s0);
            int xs0 = xOff + s0 * xStride;
            int ys0 = yOff + s0 * yStride;
            float[] shared = packShared(pool, fmt, x, xs0, xStride, n, w.cols);
            long work = (long) w.rows * w.cols * n;
            ParallelRows.Body body = (p0, p1) ->
                    range(p, fmt, w.rows, w.cols, p0, p1, x, xs0, xStride, y, ys0, yStride, n, shared);
            if (grain >= PG) {
                pool.forClaimed(panels, grain, work, body);
            } else {
                pool.forRows(panels, 1, work, body);
            }
        }
    }

    /**
     * Token rows whose x one {@link #packShared} holds: 8 blocks of {@link #MC}, 3.75 MiB a k-block
     * of {@link #KC}.
     */
    static final int SHARED_ROWS = 8 * MC;
    /** The calling thread's x for staged blocks, packed once and read by every thread of the call. */
    private static final ThreadLocal<float[][]> SHARED = ThreadLocal.withInitial(() -> new float[1][0]);

    /**
     * The staged blocks of x rows [0, batch) (at most {@link #SHARED_ROWS}) packed as
     * {@link #packX} packs them, block (kb, mb) at {@link #sharedOffset}; blocks of fewer than
     * {@link #STAGE_ROWS} rows stream and are packed by each call of {@link #range}. Each thread
     * used to pack every block for itself; once, shared, the panels can go to whichever thread is
     * free ({@link ParallelRows#forClaimed}) with no per-unit packing.
     */
    private static float[] packShared(ParallelRows pool, Format fmt, float[] x, int xOff, int xStride, int batch,
                                      int cols) {
        int mbs = (batch + MC - 1) / MC;
        int kbs = (cols + KC - 1) / KC;
        float[][] holder = SHARED.get();
        if (holder[0].length < kbs * mbs * MC * KC) {
            holder[0] = new float[kbs * mbs * MC * KC];
        }
        float[] shared = holder[0];
        boolean wide = fmt != Format.I8 && !SIX_ROWS;
        pool.forRows(kbs * mbs, 1, (long) batch * cols, (u0, u1) -> {
            for (int u = u0; u < u1; u++) {
                int k0 = (u / mbs) * KC;
                int m0 = (u % mbs) * MC;
                int m1 = Math.min(batch, m0 + MC);
                if (m1 - m0 >= STAGE_ROWS) {
                    packX(x, xOff, xStride, m0, m1, k0, Math.min(KC, cols - k0), wide, fmt, false, true, shared,
                            sharedOffset(k0, m0, batch));
                }
            }
        });
        return shared;
    }

    /** Where {@link #packShared} puts the block of k0 and m0 of a call of batch rows. */
    private static int sharedOffset(int k0, int m0, int batch) {
        int mbs = (batch + MC - 1) / MC;
        return ((k0 / KC) * mbs + m0 / MC) * MC * KC;
    }

    /**
     * Per-thread copy of the current streaming x block, tile-transposed (see {@link #packX}); staged
     * blocks read the caller's {@link #SHARED}.
     */
    private static final ThreadLocal<float[][]> XT = ThreadLocal.withInitial(() -> new float[][] {
        new float[MC * KC], new float[MR * NB]});
    /**
     * Per-thread heap copy of one panel's k-block: KC steps of up to NB ints (with 16 vector registers
     * every format as float32 bits, {@link SixRowTiles}).
     */
    private static final ThreadLocal<int[]> STAGE = ThreadLocal.withInitial(() -> new int[KC * NB]);
    /**
     * Panels of a staged block whose sums collect in {@link #SUMS} before they go to y: a KiB of each
     * y row. Flushed tile by tile, a panel's 6-row tiles wrote 64 bytes into each of 120 y rows 8 KB
     * apart (2048³), one cache miss each between the tiles' multiply-adds: the float32 GEMM measured
     * 15–20% faster with the flushes left out (Zen 3). Row by row, a group's sums are a KiB of y in
     * one run, which the prefetcher follows: the GEMM about 5–10% faster, prefill of 32 prompts 7%.
     */
    static final int YG = 256 / NB;
    /** Per-thread sums of a staged block's panel group, row-major: up to MC rows of YG·NB. */
    private static final ThreadLocal<float[]> SUMS = ThreadLocal.withInitial(() -> new float[MC * YG * NB]);
    /**
     * Token rows from which a block stages its panels. The stage copy is one stream from memory with
     * nothing to overlap it; with 32 registers, below 32 rows the streaming tiles (the first pass
     * from memory, the others from cache) were faster: 384 experts with 16 tokens each 130 → 111 ms,
     * the lm_head at batch 16 8.2 → 6.0 ms; at 32 rows the two tie. With 16 registers, since the
     * stage holds float32 and a block's last rows read it too, staging wins from 12 rows (two 6-row
     * tiles; at least 9, so that the first tile, which fills the stage, has 6): the two builds in
     * one process, time ratios, Zen 3: the lm_head at 12, 16 and 20 rows 0.80, 0.73–0.78 and
     * 0.58–0.64, 32 experts of 10–22 tokens 0.81.
     */
    static final int STAGE_ROWS = SIX_ROWS ? 12 : 32;

    /**
     * x rows [m0, m1) × columns [k0, k0 + kc) into xt, tile by tile as the kernels consume them: a
     * tile of mr rows (12, 8, 6, 4 or 1) starting at row m is
     * {@code xt[xtOff + (m - m0)·kc + k·mr + i] = x[m + i][k0 + k]}, zero for the padding rows past m1 (see
     * {@link #tileRows} for fmt; wide: 12-row tiles).
     * One array and one running index per tile: the kernels' broadcasts then need no per-row bounds
     * checks, and a tile's values for one k share a cache line.
     */
    private static void packX(float[] x, int xOff, int xStride, int m0, int m1, int k0, int kc, boolean wide,
                              Format fmt, boolean narrow, boolean staged, float[] xt, int xtOff) {
        int m = m0;
        while (m < m1) {
            int mr = tileRows(m1 - m, m1 - m0, wide, fmt, narrow, staged);
            int live = Math.min(mr, m1 - m);
            int base = xtOff + (m - m0) * kc;
            int src = xOff + m * xStride + k0;
            if (live < mr) {
                Arrays.fill(xt, base, base + mr * kc, 0f);
            }
            int i = 0;
            for (; i + 4 <= live; i += 4) {
                packFour(x, src + i * xStride, xStride, kc, xt, base + i, mr);
            }
            for (; i < live; i++) {
                packOne(x, src + i * xStride, kc, xt, base + i, mr);
            }
            m += mr;
        }
    }

    /**
     * Four x rows from s, xs apart, into lanes [o, o + 4) of a tile of mr rows: k outermost, so each
     * k's four stores are adjacent. Row by row, the stores of a row lie mr apart and each tile line
     * is written mr times: 0.8–0.9 ns an element in a batch-32 decode step (5% of its samples), this
     * way about half that in a harness.
     */
    private static void packFour(float[] x, int s, int xs, int kc, float[] xt, int o, int mr) {
        int s1 = s + xs;
        int s2 = s1 + xs;
        int s3 = s2 + xs;
        for (int k = 0; k < kc; k++, o += mr) {
            xt[o] = x[s + k];
            xt[o + 1] = x[s1 + k];
            xt[o + 2] = x[s2 + k];
            xt[o + 3] = x[s3 + k];
        }
    }

    /** One x row from s into lane o of a tile of mr rows. */
    private static void packOne(float[] x, int s, int kc, float[] xt, int o, int mr) {
        for (int k = 0; k < kc; k++, o += mr) {
            xt[o] = x[s + k];
        }
    }

    /**
     * The tile for the next rows of a block: 7 rows run as an 8-row tile and 2 or 3 as a 4-row tile,
     * padded with zero rows, unless the block is narrow (BF16 streaming whose panels all come in
     * groups of {@value #PG}): then 2 or 3 rows are their own tile over four panels side by side
     * ({@link FourPanelTiles}); 5 or 6 as a 6-row tile where the format has one (BF16), else as an
     * 8-row tile. Splitting them into smaller tiles instead passes over the panels once
     * per tile, and the one-row tile is the least efficient per weight read: with a few tokens per expert (decode
     * at batch 32) 48 experts took 9.7 ms for 3 tokens and 13.0 for 7, padded 6.4 and 7.3 (4 tokens:
     * 6.1). The 8-row tile is near the point where a streaming core runs out of multiply-add
     * throughput rather than memory: for experts of 5 or 6 tokens (about a quarter of them at batch
     * 32) the 6-row tile cut the batch-32 MoE phase by 0.4-3.6%, 1.7% on average (alternating
     * layers in one process, six windows of about 217 layers each).
     * With 16 vector registers ({@link #SIX_ROWS}) a staged block, and a BF16 streaming block but
     * for its 2- and 3-row tiles over four panels, runs 5 or more rows as a 6-row tile, else 2 or
     * more as a 4-row tile: the 8-row tile spilled its 16 accumulators at every k step, and the
     * streaming 6- and 4-row tiles are {@link StreamTiles16}'s. Float32 and int8 streaming blocks
     * keep the tiles above. A staged block's last 8 rows run as two 4-row tiles from the stage, not
     * as 6 + 2 padded to 4 from the packed buffer (the batch-32 lm_head: time ratio 0.89).
     * With 32 registers a narrow block of 4 to 6 rows in all ({@code block}) runs as passes of 2-
     * and 3-row tiles over four panels instead ({@link #NARROW_PASSES}).
     */
    private static int tileRows(int left, int block, boolean wide, Format fmt, boolean narrow, boolean staged) {
        if (narrow && (left == 2 || left == 3)) { // narrow blocks stream, never stage
            return left;
        }
        if (narrow && NARROW_PASSES && left == block && left >= 4 && left <= 6) { // 2 + 2, 3 + 2, 3 + 3
            return left == 4 ? 2 : 3;
        }
        if (SIX_ROWS && staged) { // 8 rows as 4 + 4 from the stage
            return left >= 5 && left != 8 ? 6 : left >= 2 ? 4 : 1;
        }
        if (SIX_ROWS && fmt == Format.BF16) {
            return left >= 5 ? 6 : left >= 2 ? 4 : 1;
        }
        boolean six = fmt == Format.BF16 && (left == 5 || left == 6);
        if (wide && left >= 12) { // a float32 block's first tile fills the stage with 8 rows
            return fmt == Format.F32 && left == block ? 8 : 12;
        }
        return six ? 6 : left >= 5 ? 8 : left >= 2 ? 4 : 1;
    }

    /**
     * Panels [p0, p1) for all tokens: staged blocks' x from shared ({@link #packShared}; null when
     * the batch has no staged block), streaming blocks' packed here.
     */
    private static void range(ByteBuffer p, Format fmt, int rows, int cols, int p0, int p1, float[] x, int xOff,
                              int xStride, float[] y, int yOff, int yStride, int batch, float[] shared) {
        int step = fmt.step;
        float[][] scratch = XT.get();
        float[] xt = scratch[0];
        float[] tile = scratch[1];
        for (int k0 = 0; k0 < cols; k0 += KC) {
            int kc = Math.min(KC, cols - k0);
            boolean acc = k0 > 0; // later k-blocks add to the partial sums in y
            for (int m0 = 0; m0 < batch; m0 += MC) {
                int m1 = Math.min(batch, m0 + MC);
                boolean staged = m1 - m0 >= STAGE_ROWS;
                boolean wide = staged && fmt != Format.I8 && !SIX_ROWS; // 12-row tiles
                // 2- and 3-row tiles over four panels side by side: BF16 streaming blocks whose
                // panels all come in groups of PG
                boolean narrow = !staged && fmt == Format.BF16 && (p1 - p0) % PG == 0;
                if (staged) { // x already packed by packShared
                    int xBase = sharedOffset(k0, m0, batch);
                    float[] sums = SUMS.get();
                    for (int g0 = p0; g0 < p1; g0 += YG) {
                        int g1 = Math.min(p1, g0 + YG);
                        int width = (g1 - g0) * NB;
                        staged(p, fmt, rows, cols, g0, g1, k0, kc, shared, xBase, m0, m1, wide, sums, width, tile);
                        int valid = Math.min(g1 * NB, rows) - g0 * NB;
                        flush(sums, 0, width, m1 - m0, y, yOff + m0 * yStride + g0 * NB, yStride, valid, acc);
                    }
                    continue;
                }
                packX(x, xOff, xStride, m0, m1, k0, kc, false, fmt, narrow, false, xt, 0);
                // sub-ranges whose four streams lie about STREAM_SPACING bytes apart
                int sub = PG * Math.max(1, STREAM_SPACING / (kc * step));
                for (int b0 = p0; b0 < p1; b0 += sub) {
                    streamed(p, fmt, rows, cols, b0, Math.min(p1, b0 + sub), k0, kc, xt, m0, m1, y, yOff, yStride,
                            acc, narrow, tile);
                }
            }
        }
    }

    /**
     * Panels [p0, p1) for a streaming token block [m0, m1): groups of {@value #PG} panels a quarter
     * of the range apart, all the block's tiles on a group while its panels are in cache, then the
     * leftover panels one by one.
     */
    private static void streamed(ByteBuffer p, Format fmt, int rows, int cols, int p0, int p1, int k0, int kc,
                                 float[] xt, int m0, int m1, float[] y, int yOff, int yStride, boolean acc,
                                 boolean narrow, float[] tile) {
        int step = fmt.step;
        int scales = fmt == Format.I8 ? Int8Panels.scalesOffset(rows, cols) : -1;
        // groups of PG panels a quarter of the range apart (each quarter is one contiguous
        // stream across its panels), then the leftover panels one by one
        int q = (p1 - p0) / PG;
        for (int s = 0; s < q + (p1 - p0) % PG; s++) {
            int pi = s < q ? p0 + s : p0 + PG * q + (s - q);
            int group = s < q ? PG : 1;
            int m = m0;
            while (m < m1) {
                int mr = tileRows(m1 - m, m1 - m0, false, fmt, narrow, false);
                int xo = (m - m0) * kc;
                int yo = yOff + m * yStride;
                if (mr <= 3 && group == PG) {
                    // the group's four panels side by side: one row in every format, 2 or 3 in
                    // narrow BF16 blocks; tile row i of panel g at tile[(g·mr + i)·NB]
                    int po = (pi * cols + k0) * step;
                    int ps = q * cols * step;
                    if (mr == 2) {
                        FourPanelTiles.bf16x2p4(p, po, ps, kc, xt, xo, tile);
                    } else if (mr == 3) {
                        FourPanelTiles.bf16x3p4(p, po, ps, kc, xt, xo, tile);
                    } else if (fmt == Format.BF16) {
                        FourPanelTiles.bf16x1p4(p, po, ps, kc, xt, xo, tile);
                    } else if (fmt == Format.I8) {
                        Int8Panels.x1p4(p, po, ps, kc, xt, xo, tile);
                    } else {
                        FourPanelTiles.f32x1p4(p, po, ps, kc, xt, xo, tile);
                    }
                    for (int g = 0; g < PG; g++) {
                        int pg = pi + g * q;
                        if (scales >= 0) {
                            Int8Panels.scale(p, scales, pg, tile, g * mr * NB, mr);
                        }
                        flush(tile, g * mr * NB, NB, mr, y, yo + pg * NB, yStride, valid(rows, pg), acc);
                    }
                } else {
                    for (int g = 0; g < group; g++) {
                        int pg = pi + g * q;
                        kernel(fmt, mr, p, (pg * cols + k0) * step, kc, xt, xo, tile);
                        if (scales >= 0) {
                            Int8Panels.scale(p, scales, pg, tile, 0, mr);
                        }
                        flush(tile, 0, NB, Math.min(mr, m1 - m), y, yo + pg * NB, yStride, valid(rows, pg), acc);
                    }
                }
                m += mr;
            }
        }
    }

    /**
     * Panels [p0, p1) for a compute-bound token block [m0, m1), their sums into row-major {@code sums}
     * (row i of the block at i·width, panel pi's at (pi - p0)·NB): each panel's k-block goes once to
     * the thread's heap stage, filled by the first tile, and the other 12- (wide) and 8-row tiles
     * run there ({@link StagedWideTiles}, {@link StagedPanels}), or 6-row tiles with 16 vector
     * registers ({@link SixRowTiles}, which stage BF16 widened to float32); int8 panels are staged
     * dequantised, as float32.
     * The 1-row remainder tile, and with 32 registers the 4-row one, read the buffer (the panel is in
     * cache by then).
     */
    private static void staged(ByteBuffer p, Format fmt, int rows, int cols, int p0, int p1, int k0, int kc,
                               float[] xt, int xBase, int m0, int m1, boolean wide, float[] sums, int width, float[] tile) {
        int[] stage = STAGE.get();
        int step = fmt.step;
        int scales = fmt == Format.I8 ? Int8Panels.scalesOffset(rows, cols) : -1;
        // the first tile (12 rows for BF16, else 8; 6 with SIX_ROWS: a staged block has at least STAGE_ROWS) reads
        // each panel from memory and fills the stage as it goes, so the panel's memory latency hides
        // behind that tile's multiply-adds (a copy before the tiles took 40% of a batch-32 lm_head);
        // the other tiles read the stage. Int8 panels are staged dequantised before the tiles instead.
        boolean fill = scales < 0;
        for (int pi = p0; pi < p1; pi++) {
            int po = (pi * cols + k0) * step;
            if (!fill) {
                Int8Panels.dequantize(p, po, scales, pi, kc, stage);
            }
            int m = m0;
            while (m < m1) {
                int mr = tileRows(m1 - m, m1 - m0, wide, fmt, false, true);
                int xo = xBase + (m - m0) * kc;
                if (SIX_ROWS && mr == SixRowTiles.ROWS) {
                    if (fill && m == m0) {
                        if (fmt == Format.BF16) {
                            SixRowTiles.bf16x6Fill(p, po, kc, xt, xo, tile, stage);
                        } else {
                            SixRowTiles.f32x6Fill(p, po, kc, xt, xo, tile, stage);
                        }
                    } else {
                        SixRowTiles.f32x6(stage, kc, xt, xo, tile); // every format is staged as float32
                    }
                } else if (SIX_ROWS && mr == 4) { // a block's last rows, from the stage as well
                    SixRowTiles.f32x4(stage, kc, xt, xo, tile);
                } else if (fill && m == m0) {
                    if (mr == 12) {
                        StagedWideTiles.bf16x12Fill(p, po, kc, xt, xo, tile, stage);
                    } else if (fmt == Format.BF16) {
                        StagedPanels.bf16x8Fill(p, po, kc, xt, xo, tile, stage);
                    } else {
                        StagedPanels.f32x8Fill(p, po, kc, xt, xo, tile, stage);
                    }
                } else if (mr == 12) {
                    if (fmt == Format.BF16) {
                        StagedWideTiles.bf16x12(stage, kc, xt, xo, tile);
                    } else {
                        StagedWideTiles.f32x12(stage, kc, xt, xo, tile);
                    }
                } else if (mr == 8) {
                    if (fmt == Format.BF16) {
                        StagedPanels.bf16x8(stage, kc, xt, xo, tile);
                    } else {
                        StagedPanels.f32x8(stage, kc, xt, xo, tile);
                    }
                } else {
                    kernel(fmt, mr, p, po, kc, xt, xo, tile);
                    if (scales >= 0) {
                        Int8Panels.scale(p, scales, pi, tile, 0, mr);
                    }
                }
                flush(tile, 0, NB, Math.min(mr, m1 - m), sums, (m - m0) * width + (pi - p0) * NB, width, NB, false);
                m += mr;
            }
        }
    }

    /** Weight rows of panel pi that exist: NB, fewer in a short last panel. */
    private static int valid(int rows, int pi) {
        return Math.min(NB, rows - pi * NB);
    }

    /**
     * The register tile of mr (8, 6 for BF16, 4 or 1) token rows × one panel ({@link PanelTiles});
     * BF16 with 16 vector registers: {@link StreamTiles16}'s 6 and 4 rows.
     */
    private static void kernel(Format fmt, int mr, ByteBuffer p, int po, int kc, float[] xt, int xo, float[] t) {
        switch (fmt) {
            case BF16:
                if (SIX_ROWS && mr == 6) {
                    StreamTiles16.bf16x6(p, po, kc, xt, xo, t);
                } else if (SIX_ROWS && mr == 4) {
                    StreamTiles16.bf16x4(p, po, kc, xt, xo, t);
                } else if (mr == 8) {
                    PanelTiles.bf16x8(p, po, kc, xt, xo, t);
                } else if (mr == 6) {
                    PanelTiles.bf16x6(p, po, kc, xt, xo, t);
                } else if (mr == 4) {
                    PanelTiles.bf16x4(p, po, kc, xt, xo, t);
                } else {
                    PanelTiles.bf16x1k4(p, po, kc, xt, xo, t);
                }
                break;
            case I8:
                if (mr == 8) {
                    Int8Panels.x8(p, po, kc, xt, xo, t);
                } else if (mr == 4) {
                    Int8Panels.x4(p, po, kc, xt, xo, t);
                } else {
                    Int8Panels.x1(p, po, kc, xt, xo, t);
                }
                break;
            default:
                if (mr == 8) {
                    PanelTiles.f32x8(p, po, kc, xt, xo, t);
                } else if (mr == 4) {
                    PanelTiles.f32x4(p, po, kc, xt, xo, t);
                } else {
                    PanelTiles.f32x1(p, po, kc, xt, xo, t);
                }
        }
    }

    /**
     * Tile t (mr rows of sums, row i at t[tOff + i·ts]) into y (or a tile into a staged block's sums):
     * stored, or added for later k-blocks; only the valid weight rows of a short last panel. Kept out of the kernels on purpose: with masked
     * vector loads and stores inlined, C2 could run out of inlining budget in a kernel and box its
     * vectors (tens of times slower, no error).
     */
    private static void flush(float[] t, int tOff, int ts, int mr, float[] y, int yo, int ys, int valid,
                              boolean acc) {
        for (int i = 0; i < mr; i++) {
            int o = yo + i * ys;
            int to = tOff + i * ts;
            if (acc) {
                for (int j = 0; j < valid; j++) {
                    y[o + j] += t[to + j];
                }
            } else {
                System.arraycopy(t, to, y, o, valid);
            }
        }
    }}
