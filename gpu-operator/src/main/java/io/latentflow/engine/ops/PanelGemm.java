package io.latentflow.engine.ops;

import io.latentflow.engine.tensor.DType;
import io.latentflow.engine.tensor.Weight;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
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
 * {@value #MC}, panels split across threads. A block of at least {@value #STAGE_ROWS} tokens is
 * compute-bound: its first token tile reads each panel from memory and fills a heap stage, where
 * the other tiles run ({@link StagedPanels}). A smaller one streams weights from memory: the
 * thread's panels in sub-ranges, each in groups of {@value #PG} panels a quarter of the sub-range (about
 * {@value #STREAM_SPACING} bytes) apart, the token tiles of a group while its panels are in cache,
 * and every kernel keeps several memory streams in flight.
 *
 * <p>The kernels here, in {@link StagedPanels} and in {@link Int8Panels} repeat the same register
 * tile on purpose: one method per format and tile, straight-line, with no lambda or helper holding
 * vectors, because that is the code C2 reliably keeps in registers (a shared helper that missed
 * inlining once made a kernel tens of times slower without an error). And no larger than C1 can
 * compile with full profiling (tier 3): a kernel that only tier 2 can compile may stay there, with
 * the Vector API not intrinsified, about 20 times slower ({@code KernelsCompileAtTier3Test}).
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

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final int HIGH = 0xFFFF0000;

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
        long work = (long) w.rows * w.cols * batch;
        pool.forRows(panels, 1, work, (p0, p1) ->
                range(p, fmt, w.rows, w.cols, p0, p1, x, xOff, xStride, y, yOff, yStride, batch));
    }

    /** Per-thread copy of the current x block, tile-transposed (see {@link #packX}). */
    private static final ThreadLocal<float[][]> XT = ThreadLocal.withInitial(() -> new float[][] {
        new float[MC * KC], new float[MR * NB]});
    /** Per-thread heap copy of one panel's k-block for {@link StagedPanels}: KC steps of up to NB ints. */
    private static final ThreadLocal<int[]> STAGE = ThreadLocal.withInitial(() -> new int[KC * NB]);
    /**
     * Token rows from which a block stages its panels. The stage copy is one stream from memory with
     * nothing to overlap it; below 32 rows the streaming tiles (the first pass from memory, the others
     * from cache) were faster: 384 experts with 16 tokens each 130 → 111 ms, the lm_head at batch 16
     * 8.2 → 6.0 ms; at 32 rows the two tie, above it staging wins.
     */
    static final int STAGE_ROWS = 32;

    /**
     * x rows [m0, m1) × columns [k0, k0 + kc) into xt, tile by tile as the kernels consume them: a
     * tile of mr rows (12, 8, 6, 4 or 1) starting at row m is
     * {@code xt[(m - m0)·kc + k·mr + i] = x[m + i][k0 + k]}, zero for the padding rows past m1 (see
     * {@link #tileRows} for fmt; wide: 12-row tiles).
     * One array and one running index per tile: the kernels' broadcasts then need no per-row bounds
     * checks, and a tile's values for one k share a cache line.
     */
    private static void packX(float[] x, int xOff, int xStride, int m0, int m1, int k0, int kc, boolean wide,
                              Format fmt, boolean narrow, boolean staged, float[] xt) {
        int m = m0;
        while (m < m1) {
            int mr = tileRows(m1 - m, wide, fmt, narrow, staged);
            int live = Math.min(mr, m1 - m);
            int base = (m - m0) * kc;
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
     * ({@link #bf16x2p4}, {@link #bf16x3p4}); 5 or 6 as a 6-row tile where the format has one (BF16),
     * else as an 8-row tile. Splitting them into smaller tiles instead passes over the panels once
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
     * keep the tiles above.
     */
    private static int tileRows(int left, boolean wide, Format fmt, boolean narrow, boolean staged) {
        if (narrow && (left == 2 || left == 3)) { // narrow blocks stream, never stage
            return left;
        }
        if (SIX_ROWS && (staged || fmt == Format.BF16)) {
            return left >= 5 ? 6 : left >= 2 ? 4 : 1;
        }
        boolean six = fmt == Format.BF16 && (left == 5 || left == 6);
        return wide && left >= 12 ? 12 : six ? 6 : left >= 5 ? 8 : left >= 2 ? 4 : 1;
    }

    /** Panels [p0, p1) for all tokens. */
    private static void range(ByteBuffer p, Format fmt, int rows, int cols, int p0, int p1, float[] x, int xOff,
                              int xStride, float[] y, int yOff, int yStride, int batch) {
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
                boolean wide = staged && fmt == Format.BF16 && !SIX_ROWS; // 12-row tiles
                // 2- and 3-row tiles over four panels side by side: BF16 streaming blocks whose
                // panels all come in groups of PG
                boolean narrow = !staged && fmt == Format.BF16 && (p1 - p0) % PG == 0;
                packX(x, xOff, xStride, m0, m1, k0, kc, wide, fmt, narrow, staged, xt);
                if (staged) {
                    staged(p, fmt, rows, cols, p0, p1, k0, kc, xt, m0, m1, wide, y, yOff, yStride, acc, tile);
                    continue;
                }
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
                int mr = tileRows(m1 - m, false, fmt, narrow, false);
                int xo = (m - m0) * kc;
                int yo = yOff + m * yStride;
                if (mr <= 3 && group == PG) {
                    // the group's four panels side by side: one row in every format, 2 or 3 in
                    // narrow BF16 blocks; tile row i of panel g at tile[(g·mr + i)·NB]
                    int po = (pi * cols + k0) * step;
                    int ps = q * cols * step;
                    if (mr == 2) {
                        bf16x2p4(p, po, ps, kc, xt, xo, tile);
                    } else if (mr == 3) {
                        bf16x3p4(p, po, ps, kc, xt, xo, tile);
                    } else if (fmt == Format.BF16) {
                        bf16x1p4(p, po, ps, kc, xt, xo, tile);
                    } else if (fmt == Format.I8) {
                        Int8Panels.x1p4(p, po, ps, kc, xt, xo, tile);
                    } else {
                        f32x1p4(p, po, ps, kc, xt, xo, tile);
                    }
                    for (int g = 0; g < PG; g++) {
                        int pg = pi + g * q;
                        if (scales >= 0) {
                            Int8Panels.scale(p, scales, pg, tile, g * mr * NB, mr);
                        }
                        flush(tile, g * mr * NB, mr, y, yo + pg * NB, yStride, valid(rows, pg), acc);
                    }
                } else {
                    for (int g = 0; g < group; g++) {
                        int pg = pi + g * q;
                        kernel(fmt, mr, p, (pg * cols + k0) * step, kc, xt, xo, tile);
                        if (scales >= 0) {
                            Int8Panels.scale(p, scales, pg, tile, 0, mr);
                        }
                        flush(tile, 0, Math.min(mr, m1 - m), y, yo + pg * NB, yStride, valid(rows, pg), acc);
                    }
                }
                m += mr;
            }
        }
    }

    /**
     * Panels [p0, p1) for a compute-bound token block [m0, m1): each panel's k-block goes once to the
     * thread's heap stage, filled by the first tile, and the other 12- (wide: BF16) and 8-row tiles
     * run there ({@link StagedWideTiles}, {@link StagedPanels}), or 6-row tiles with 16 vector
     * registers ({@link SixRowTiles}); int8 panels are staged dequantised, as float32.
     * The 4- and 1-row remainder tiles read the buffer (the panel is in cache by then).
     */
    private static void staged(ByteBuffer p, Format fmt, int rows, int cols, int p0, int p1, int k0, int kc,
                               float[] xt, int m0, int m1, boolean wide, float[] y, int yOff, int yStride,
                               boolean acc, float[] tile) {
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
                int mr = tileRows(m1 - m, wide, fmt, false, true);
                int xo = (m - m0) * kc;
                if (SIX_ROWS && mr == SixRowTiles.ROWS) {
                    if (fill && m == m0) {
                        if (fmt == Format.BF16) {
                            SixRowTiles.bf16x6Fill(p, po, kc, xt, xo, tile, stage);
                        } else {
                            SixRowTiles.f32x6Fill(p, po, kc, xt, xo, tile, stage);
                        }
                    } else if (fmt == Format.BF16) {
                        SixRowTiles.bf16x6(stage, kc, xt, xo, tile);
                    } else {
                        SixRowTiles.f32x6(stage, kc, xt, xo, tile); // float32 and dequantised int8
                    }
                } else if (fill && m == m0) {
                    if (mr == 12) {
                        StagedWideTiles.bf16x12Fill(p, po, kc, xt, xo, tile, stage);
                    } else if (fmt == Format.BF16) {
                        StagedPanels.bf16x8Fill(p, po, kc, xt, xo, tile, stage);
                    } else {
                        StagedPanels.f32x8Fill(p, po, kc, xt, xo, tile, stage);
                    }
                } else if (mr == 12) {
                    StagedWideTiles.bf16x12(stage, kc, xt, xo, tile);
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
                flush(tile, 0, Math.min(mr, m1 - m), y, yOff + m * yStride + pi * NB, yStride, valid(rows, pi), acc);
                m += mr;
            }
        }
    }

    /** Weight rows of panel pi that exist: NB, fewer in a short last panel. */
    private static int valid(int rows, int pi) {
        return Math.min(NB, rows - pi * NB);
    }

    /**
     * The register tile of mr (8, 6 for BF16, 4 or 1) token rows × one panel; BF16 with 16 vector
     * registers: {@link StreamTiles16}'s 6 and 4 rows.
     */
    private static void kernel(Format fmt, int mr, ByteBuffer p, int po, int kc, float[] xt, int xo, float[] t) {
        switch (fmt) {
            case BF16:
                if (SIX_ROWS && mr == 6) {
                    StreamTiles16.bf16x6(p, po, kc, xt, xo, t);
                } else if (SIX_ROWS && mr == 4) {
                    StreamTiles16.bf16x4(p, po, kc, xt, xo, t);
                } else if (mr == 8) {
                    bf16x8(p, po, kc, xt, xo, t);
                } else if (mr == 6) {
                    bf16x6(p, po, kc, xt, xo, t);
                } else if (mr == 4) {
                    bf16x4(p, po, kc, xt, xo, t);
                } else {
                    bf16x1k4(p, po, kc, xt, xo, t);
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
                    f32x8(p, po, kc, xt, xo, t);
                } else if (mr == 4) {
                    f32x4(p, po, kc, xt, xo, t);
                } else {
                    f32x1(p, po, kc, xt, xo, t);
                }
        }
    }

    /**
     * Tile t (mr rows of NB sums, row i at t[i·NB]) into y: stored, or added for later k-blocks; only
     * the valid weight rows of a short last panel. Kept out of the kernels on purpose: with masked
     * vector loads and stores inlined, C2 could run out of inlining budget in a kernel and box its
     * vectors (tens of times slower, no error).
     */
    private static void flush(float[] t, int tOff, int mr, float[] y, int yo, int ys, int valid, boolean acc) {
        for (int i = 0; i < mr; i++) {
            int o = yo + i * ys;
            int to = tOff + i * NB;
            if (acc) {
                for (int j = 0; j < valid; j++) {
                    y[o + j] += t[to + j];
                }
            } else {
                System.arraycopy(t, to, y, o, valid);
            }
        }
    }

    // ---- BF16 micro-kernels ------------------------------------------------------------------------

    /**
     * 8 token rows × NB weight rows over kc steps of the panel at byte po, x tile at xo; sums into t.
     * Each iteration takes one step in each quarter of the k range: four memory streams in flight
     * instead of one. A core keeps only about ten misses of its own in flight, so a single stream left
     * the small-batch GEMM (a few tokens per expert) at about 11 GB/s on two cores; the prefetcher
     * follows each stream and adds its own.
     */
    private static void bf16x8(ByteBuffer p, int po, int kc, float[] x, int xo, float[] t) {
        FloatVector a00 = FloatVector.zero(F), a01 = FloatVector.zero(F);
        FloatVector a10 = FloatVector.zero(F), a11 = FloatVector.zero(F);
        FloatVector a20 = FloatVector.zero(F), a21 = FloatVector.zero(F);
        FloatVector a30 = FloatVector.zero(F), a31 = FloatVector.zero(F);
        FloatVector a40 = FloatVector.zero(F), a41 = FloatVector.zero(F);
        FloatVector a50 = FloatVector.zero(F), a51 = FloatVector.zero(F);
        FloatVector a60 = FloatVector.zero(F), a61 = FloatVector.zero(F);
        FloatVector a70 = FloatVector.zero(F), a71 = FloatVector.zero(F);
        int q = kc / 4;
        int qb = q * FL * 4; // byte distance between the streams
        int qx = q * 8;   // x distance between the streams
        IntVector v;
        FloatVector lo, hi, b;
        for (int k = 0, xk = xo; k < q; k++, xk += 8) {
            int o = po + k * FL * 4;
            v = IntVector.fromByteBuffer(I, p, o, LE);
            lo = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            hi = v.and(HIGH).reinterpretAsFloats();
            b = FloatVector.broadcast(F, x[xk + 0]);
            a00 = lo.fma(b, a00);
            a01 = hi.fma(b, a01);
            b = FloatVector.broadcast(F, x[xk + 1]);
            a10 = lo.fma(b, a10);
            a11 = hi.fma(b, a11);
            b = FloatVector.broadcast(F, x[xk + 2]);
            a20 = lo.fma(b, a20);
            a21 = hi.fma(b, a21);
            b = FloatVector.broadcast(F, x[xk + 3]);
            a30 = lo.fma(b, a30);
            a31 = hi.fma(b, a31);
            b = FloatVector.broadcast(F, x[xk + 4]);
            a40 = lo.fma(b, a40);
            a41 = hi.fma(b, a41);
            b = FloatVector.broadcast(F, x[xk + 5]);
            a50 = lo.fma(b, a50);
            a51 = hi.fma(b, a51);
            b = FloatVector.broadcast(F, x[xk + 6]);
            a60 = lo.fma(b, a60);
            a61 = hi.fma(b, a61);
            b = FloatVector.broadcast(F, x[xk + 7]);
            a70 = lo.fma(b, a70);
            a71 = hi.fma(b, a71);
            v = IntVector.fromByteBuffer(I, p, o + qb, LE);
            lo = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            hi = v.and(HIGH).reinterpretAsFloats();
            b = FloatVector.broadcast(F, x[(xk + qx) + 0]);
            a00 = lo.fma(b, a00);
            a01 = hi.fma(b, a01);
            b = FloatVector.broadcast(F, x[(xk + qx) + 1]);
            a10 = lo.fma(b, a10);
            a11 = hi.fma(b, a11);
            b = FloatVector.broadcast(F, x[(xk + qx) + 2]);
            a20 = lo.fma(b, a20);
            a21 = hi.fma(b, a21);
            b = FloatVector.broadcast(F, x[(xk + qx) + 3]);
            a30 = lo.fma(b, a30);
            a31 = hi.fma(b, a31);
            b = FloatVector.broadcast(F, x[(xk + qx) + 4]);
            a40 = lo.fma(b, a40);
            a41 = hi.fma(b, a41);
            b = FloatVector.broadcast(F, x[(xk + qx) + 5]);
            a50 = lo.fma(b, a50);
            a51 = hi.fma(b, a51);
            b = FloatVector.broadcast(F, x[(xk + qx) + 6]);
            a60 = lo.fma(b, a60);
            a61 = hi.fma(b, a61);
            b = FloatVector.broadcast(F, x[(xk + qx) + 7]);
            a70 = lo.fma(b, a70);
            a71 = hi.fma(b, a71);
            v = IntVector.fromByteBuffer(I, p, o + 2 * qb, LE);
            lo = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            hi = v.and(HIGH).reinterpretAsFloats();
            b = FloatVector.broadcast(F, x[(xk + 2 * qx) + 0]);
            a00 = lo.fma(b, a00);
            a01 = hi.fma(b, a01);
            b = FloatVector.broadcast(F, x[(xk + 2 * qx) + 1]);
            a10 = lo.fma(b, a10);
            a11 = hi.fma(b, a11);
            b = FloatVector.broadcast(F, x[(xk + 2 * qx) + 2]);
            a20 = lo.fma(b, a20);
            a21 = hi.fma(b, a21);
            b = FloatVector.broadcast(F, x[(xk + 2 * qx) + 3]);
            a30 = lo.fma(b, a30);
            a31 = hi.fma(b, a31);
            b = FloatVector.broadcast(F, x[(xk + 2 * qx) + 4]);
            a40 = lo.fma(b, a40);
            a41 = hi.fma(b, a41);
            b = FloatVector.broadcast(F, x[(xk + 2 * qx) + 5]);
            a50 = lo.fma(b, a50);
            a51 = hi.fma(b, a51);
            b = FloatVector.broadcast(F, x[(xk + 2 * qx) + 6]);
            a60 = lo.fma(b, a60);
            a61 = hi.fma(b, a61);
            b = FloatVector.broadcast(F, x[(xk + 2 * qx) + 7]);
            a70 = lo.fma(b, a70);
            a71 = hi.fma(b, a71);
            v = IntVector.fromByteBuffer(I, p, o + 3 * qb, LE);
            lo = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            hi = v.and(HIGH).reinterpretAsFloats();
            b = FloatVector.broadcast(F, x[(xk + 3 * qx) + 0]);
            a00 = lo.fma(b, a00);
            a01 = hi.fma(b, a01);
            b = FloatVector.broadcast(F, x[(xk + 3 * qx) + 1]);
            a10 = lo.fma(b, a10);
            a11 = hi.fma(b, a11);
            b = FloatVector.broadcast(F, x[(xk + 3 * qx) + 2]);
            a20 = lo.fma(b, a20);
            a21 = hi.fma(b, a21);
            b = FloatVector.broadcast(F, x[(xk + 3 * qx) + 3]);
            a30 = lo.fma(b, a30);
            a31 = hi.fma(b, a31);
            b = FloatVector.broadcast(F, x[(xk + 3 * qx) + 4]);
            a40 = lo.fma(b, a40);
            a41 = hi.fma(b, a41);
            b = FloatVector.broadcast(F, x[(xk + 3 * qx) + 5]);
            a50 = lo.fma(b, a50);
            a51 = hi.fma(b, a51);
            b = FloatVector.broadcast(F, x[(xk + 3 * qx) + 6]);
            a60 = lo.fma(b, a60);
            a61 = hi.fma(b, a61);
            b = FloatVector.broadcast(F, x[(xk + 3 * qx) + 7]);
            a70 = lo.fma(b, a70);
            a71 = hi.fma(b, a71);
        }
        for (int k = 4 * q, xk = xo + 4 * qx; k < kc; k++, xk += 8) { // kc % 4 leftover steps
            v = IntVector.fromByteBuffer(I, p, po + k * FL * 4, LE);
            lo = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            hi = v.and(HIGH).reinterpretAsFloats();
            b = FloatVector.broadcast(F, x[xk + 0]);
            a00 = lo.fma(b, a00);
            a01 = hi.fma(b, a01);
            b = FloatVector.broadcast(F, x[xk + 1]);
            a10 = lo.fma(b, a10);
            a11 = hi.fma(b, a11);
            b = FloatVector.broadcast(F, x[xk + 2]);
            a20 = lo.fma(b, a20);
            a21 = hi.fma(b, a21);
            b = FloatVector.broadcast(F, x[xk + 3]);
            a30 = lo.fma(b, a30);
            a31 = hi.fma(b, a31);
            b = FloatVector.broadcast(F, x[xk + 4]);
            a40 = lo.fma(b, a40);
            a41 = hi.fma(b, a41);
            b = FloatVector.broadcast(F, x[xk + 5]);
            a50 = lo.fma(b, a50);
            a51 = hi.fma(b, a51);
            b = FloatVector.broadcast(F, x[xk + 6]);
            a60 = lo.fma(b, a60);
            a61 = hi.fma(b, a61);
            b = FloatVector.broadcast(F, x[xk + 7]);
            a70 = lo.fma(b, a70);
            a71 = hi.fma(b, a71);
        }
        a00.intoArray(t, 0 * FL);
        a01.intoArray(t, 1 * FL);
        a10.intoArray(t, 2 * FL);
        a11.intoArray(t, 3 * FL);
        a20.intoArray(t, 4 * FL);
        a21.intoArray(t, 5 * FL);
        a30.intoArray(t, 6 * FL);
        a31.intoArray(t, 7 * FL);
        a40.intoArray(t, 8 * FL);
        a41.intoArray(t, 9 * FL);
        a50.intoArray(t, 10 * FL);
        a51.intoArray(t, 11 * FL);
        a60.intoArray(t, 12 * FL);
        a61.intoArray(t, 13 * FL);
        a70.intoArray(t, 14 * FL);
        a71.intoArray(t, 15 * FL);
    }

    /** 6 token rows × NB weight rows, four k streams as in {@link #bf16x8}: 5 or 6 tokens without 8-row padding. */
    private static void bf16x6(ByteBuffer p, int po, int kc, float[] x, int xo, float[] t) {
        FloatVector a00 = FloatVector.zero(F), a01 = FloatVector.zero(F);
        FloatVector a10 = FloatVector.zero(F), a11 = FloatVector.zero(F);
        FloatVector a20 = FloatVector.zero(F), a21 = FloatVector.zero(F);
        FloatVector a30 = FloatVector.zero(F), a31 = FloatVector.zero(F);
        FloatVector a40 = FloatVector.zero(F), a41 = FloatVector.zero(F);
        FloatVector a50 = FloatVector.zero(F), a51 = FloatVector.zero(F);
        int q = kc / 4;
        int qb = q * FL * 4; // byte distance between the streams
        int qx = q * 6;   // x distance between the streams
        IntVector v;
        FloatVector lo, hi, b;
        for (int k = 0, xk = xo; k < q; k++, xk += 6) {
            int o = po + k * FL * 4;
            v = IntVector.fromByteBuffer(I, p, o, LE);
            lo = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            hi = v.and(HIGH).reinterpretAsFloats();
            b = FloatVector.broadcast(F, x[xk + 0]);
            a00 = lo.fma(b, a00);
            a01 = hi.fma(b, a01);
            b = FloatVector.broadcast(F, x[xk + 1]);
            a10 = lo.fma(b, a10);
            a11 = hi.fma(b, a11);
            b = FloatVector.broadcast(F, x[xk + 2]);
            a20 = lo.fma(b, a20);
            a21 = hi.fma(b, a21);
            b = FloatVector.broadcast(F, x[xk + 3]);
            a30 = lo.fma(b, a30);
            a31 = hi.fma(b, a31);
            b = FloatVector.broadcast(F, x[xk + 4]);
            a40 = lo.fma(b, a40);
            a41 = hi.fma(b, a41);
            b = FloatVector.broadcast(F, x[xk + 5]);
            a50 = lo.fma(b, a50);
            a51 = hi.fma(b, a51);
            v = IntVector.fromByteBuffer(I, p, o + qb, LE);
            lo = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            hi = v.and(HIGH).reinterpretAsFloats();
            b = FloatVector.broadcast(F, x[(xk + qx) + 0]);
            a00 = lo.fma(b, a00);
            a01 = hi.fma(b, a01);
            b = FloatVector.broadcast(F, x[(xk + qx) + 1]);
            a10 = lo.fma(b, a10);
            a11 = hi.fma(b, a11);
            b = FloatVector.broadcast(F, x[(xk + qx) + 2]);
            a20 = lo.fma(b, a20);
            a21 = hi.fma(b, a21);
            b = FloatVector.broadcast(F, x[(xk + qx) + 3]);
            a30 = lo.fma(b, a30);
            a31 = hi.fma(b, a31);
            b = FloatVector.broadcast(F, x[(xk + qx) + 4]);
            a40 = lo.fma(b, a40);
            a41 = hi.fma(b, a41);
            b = FloatVector.broadcast(F, x[(xk + qx) + 5]);
            a50 = lo.fma(b, a50);
            a51 = hi.fma(b, a51);
            v = IntVector.fromByteBuffer(I, p, o + 2 * qb, LE);
            lo = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            hi = v.and(HIGH).reinterpretAsFloats();
            b = FloatVector.broadcast(F, x[(xk + 2 * qx) + 0]);
            a00 = lo.fma(b, a00);
            a01 = hi.fma(b, a01);
            b = FloatVector.broadcast(F, x[(xk + 2 * qx) + 1]);
            a10 = lo.fma(b, a10);
            a11 = hi.fma(b, a11);
            b = FloatVector.broadcast(F, x[(xk + 2 * qx) + 2]);
            a20 = lo.fma(b, a20);
            a21 = hi.fma(b, a21);
            b = FloatVector.broadcast(F, x[(xk + 2 * qx) + 3]);
            a30 = lo.fma(b, a30);
            a31 = hi.fma(b, a31);
            b = FloatVector.broadcast(F, x[(xk + 2 * qx) + 4]);
            a40 = lo.fma(b, a40);
            a41 = hi.fma(b, a41);
            b = FloatVector.broadcast(F, x[(xk + 2 * qx) + 5]);
            a50 = lo.fma(b, a50);
            a51 = hi.fma(b, a51);
            v = IntVector.fromByteBuffer(I, p, o + 3 * qb, LE);
            lo = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            hi = v.and(HIGH).reinterpretAsFloats();
            b = FloatVector.broadcast(F, x[(xk + 3 * qx) + 0]);
            a00 = lo.fma(b, a00);
            a01 = hi.fma(b, a01);
            b = FloatVector.broadcast(F, x[(xk + 3 * qx) + 1]);
            a10 = lo.fma(b, a10);
            a11 = hi.fma(b, a11);
            b = FloatVector.broadcast(F, x[(xk + 3 * qx) + 2]);
            a20 = lo.fma(b, a20);
            a21 = hi.fma(b, a21);
            b = FloatVector.broadcast(F, x[(xk + 3 * qx) + 3]);
            a30 = lo.fma(b, a30);
            a31 = hi.fma(b, a31);
            b = FloatVector.broadcast(F, x[(xk + 3 * qx) + 4]);
            a40 = lo.fma(b, a40);
            a41 = hi.fma(b, a41);
            b = FloatVector.broadcast(F, x[(xk + 3 * qx) + 5]);
            a50 = lo.fma(b, a50);
            a51 = hi.fma(b, a51);
        }
        for (int k = 4 * q, xk = xo + 4 * qx; k < kc; k++, xk += 6) { // kc % 4 leftover steps
            v = IntVector.fromByteBuffer(I, p, po + k * FL * 4, LE);
            lo = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            hi = v.and(HIGH).reinterpretAsFloats();
            b = FloatVector.broadcast(F, x[xk + 0]);
            a00 = lo.fma(b, a00);
            a01 = hi.fma(b, a01);
            b = FloatVector.broadcast(F, x[xk + 1]);
            a10 = lo.fma(b, a10);
            a11 = hi.fma(b, a11);
            b = FloatVector.broadcast(F, x[xk + 2]);
            a20 = lo.fma(b, a20);
            a21 = hi.fma(b, a21);
            b = FloatVector.broadcast(F, x[xk + 3]);
            a30 = lo.fma(b, a30);
            a31 = hi.fma(b, a31);
            b = FloatVector.broadcast(F, x[xk + 4]);
            a40 = lo.fma(b, a40);
            a41 = hi.fma(b, a41);
            b = FloatVector.broadcast(F, x[xk + 5]);
            a50 = lo.fma(b, a50);
            a51 = hi.fma(b, a51);
        }
        a00.intoArray(t, 0 * FL);
        a01.intoArray(t, 1 * FL);
        a10.intoArray(t, 2 * FL);
        a11.intoArray(t, 3 * FL);
        a20.intoArray(t, 4 * FL);
        a21.intoArray(t, 5 * FL);
        a30.intoArray(t, 6 * FL);
        a31.intoArray(t, 7 * FL);
        a40.intoArray(t, 8 * FL);
        a41.intoArray(t, 9 * FL);
        a50.intoArray(t, 10 * FL);
        a51.intoArray(t, 11 * FL);
    }

    /** 4 token rows × NB weight rows, four k streams as in {@link #bf16x8}, two accumulator sets. */
    private static void bf16x4(ByteBuffer p, int po, int kc, float[] x, int xo, float[] t) {
        FloatVector a00 = FloatVector.zero(F), a01 = FloatVector.zero(F);
        FloatVector a10 = FloatVector.zero(F), a11 = FloatVector.zero(F);
        FloatVector a20 = FloatVector.zero(F), a21 = FloatVector.zero(F);
        FloatVector a30 = FloatVector.zero(F), a31 = FloatVector.zero(F);
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        int q = kc / 4;
        int qb = q * FL * 4; // byte distance between the streams
        int qx = q * 4;   // x distance between the streams
        IntVector v;
        FloatVector lo, hi, b;
        for (int k = 0, xk = xo; k < q; k++, xk += 4) {
            int o = po + k * FL * 4;
            v = IntVector.fromByteBuffer(I, p, o, LE);
            lo = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            hi = v.and(HIGH).reinterpretAsFloats();
            b = FloatVector.broadcast(F, x[xk + 0]);
            a00 = lo.fma(b, a00);
            a01 = hi.fma(b, a01);
            b = FloatVector.broadcast(F, x[xk + 1]);
            a10 = lo.fma(b, a10);
            a11 = hi.fma(b, a11);
            b = FloatVector.broadcast(F, x[xk + 2]);
            a20 = lo.fma(b, a20);
            a21 = hi.fma(b, a21);
            b = FloatVector.broadcast(F, x[xk + 3]);
            a30 = lo.fma(b, a30);
            a31 = hi.fma(b, a31);
            v = IntVector.fromByteBuffer(I, p, o + qb, LE);
            lo = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            hi = v.and(HIGH).reinterpretAsFloats();
            b = FloatVector.broadcast(F, x[(xk + qx) + 0]);
            c00 = lo.fma(b, c00);
            c01 = hi.fma(b, c01);
            b = FloatVector.broadcast(F, x[(xk + qx) + 1]);
            c10 = lo.fma(b, c10);
            c11 = hi.fma(b, c11);
            b = FloatVector.broadcast(F, x[(xk + qx) + 2]);
            c20 = lo.fma(b, c20);
            c21 = hi.fma(b, c21);
            b = FloatVector.broadcast(F, x[(xk + qx) + 3]);
            c30 = lo.fma(b, c30);
            c31 = hi.fma(b, c31);
            v = IntVector.fromByteBuffer(I, p, o + 2 * qb, LE);
            lo = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            hi = v.and(HIGH).reinterpretAsFloats();
            b = FloatVector.broadcast(F, x[(xk + 2 * qx) + 0]);
            a00 = lo.fma(b, a00);
            a01 = hi.fma(b, a01);
            b = FloatVector.broadcast(F, x[(xk + 2 * qx) + 1]);
            a10 = lo.fma(b, a10);
            a11 = hi.fma(b, a11);
            b = FloatVector.broadcast(F, x[(xk + 2 * qx) + 2]);
            a20 = lo.fma(b, a20);
            a21 = hi.fma(b, a21);
            b = FloatVector.broadcast(F, x[(xk + 2 * qx) + 3]);
            a30 = lo.fma(b, a30);
            a31 = hi.fma(b, a31);
            v = IntVector.fromByteBuffer(I, p, o + 3 * qb, LE);
            lo = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            hi = v.and(HIGH).reinterpretAsFloats();
            b = FloatVector.broadcast(F, x[(xk + 3 * qx) + 0]);
            c00 = lo.fma(b, c00);
            c01 = hi.fma(b, c01);
            b = FloatVector.broadcast(F, x[(xk + 3 * qx) + 1]);
            c10 = lo.fma(b, c10);
            c11 = hi.fma(b, c11);
            b = FloatVector.broadcast(F, x[(xk + 3 * qx) + 2]);
            c20 = lo.fma(b, c20);
            c21 = hi.fma(b, c21);
            b = FloatVector.broadcast(F, x[(xk + 3 * qx) + 3]);
            c30 = lo.fma(b, c30);
            c31 = hi.fma(b, c31);
        }
        for (int k = 4 * q, xk = xo + 4 * qx; k < kc; k++, xk += 4) { // kc % 4 leftover steps
            v = IntVector.fromByteBuffer(I, p, po + k * FL * 4, LE);
            lo = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            hi = v.and(HIGH).reinterpretAsFloats();
            b = FloatVector.broadcast(F, x[xk + 0]);
            a00 = lo.fma(b, a00);
            a01 = hi.fma(b, a01);
            b = FloatVector.broadcast(F, x[xk + 1]);
            a10 = lo.fma(b, a10);
            a11 = hi.fma(b, a11);
            b = FloatVector.broadcast(F, x[xk + 2]);
            a20 = lo.fma(b, a20);
            a21 = hi.fma(b, a21);
            b = FloatVector.broadcast(F, x[xk + 3]);
            a30 = lo.fma(b, a30);
            a31 = hi.fma(b, a31);
        }
        a00.add(c00).intoArray(t, 0 * FL);
        a01.add(c01).intoArray(t, 1 * FL);
        a10.add(c10).intoArray(t, 2 * FL);
        a11.add(c11).intoArray(t, 3 * FL);
        a20.add(c20).intoArray(t, 4 * FL);
        a21.add(c21).intoArray(t, 5 * FL);
        a30.add(c30).intoArray(t, 6 * FL);
        a31.add(c31).intoArray(t, 7 * FL);
    }

    /**
     * One token row × four panels (byte stride ps): the matrix-vector product. Memory-bound, so the
     * point is four independent load streams; eight accumulators cover the FMA latency.
     */
    private static void bf16x1p4(ByteBuffer p, int po, int ps, int kc, float[] x, int xo, float[] t) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, b0 = a0, b1 = a0, c0 = a0, c1 = a0, d0 = a0, d1 = a0;
        // two k steps an iteration: fewer loop instructions per byte leave room for more loads in
        // flight (measured 21 -> 22.5 GB/s on two cores)
        int k = 0;
        for (; k + 1 < kc; k += 2) {
            int o = po + k * FL * 4;
            FloatVector b = FloatVector.broadcast(F, x[xo + k]);
            IntVector v = IntVector.fromByteBuffer(I, p, o, LE);
            IntVector u = IntVector.fromByteBuffer(I, p, o + ps, LE);
            IntVector w = IntVector.fromByteBuffer(I, p, o + 2 * ps, LE);
            IntVector z = IntVector.fromByteBuffer(I, p, o + 3 * ps, LE);
            a0 = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(b, a0);
            a1 = v.and(HIGH).reinterpretAsFloats().fma(b, a1);
            b0 = u.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(b, b0);
            b1 = u.and(HIGH).reinterpretAsFloats().fma(b, b1);
            c0 = w.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(b, c0);
            c1 = w.and(HIGH).reinterpretAsFloats().fma(b, c1);
            d0 = z.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(b, d0);
            d1 = z.and(HIGH).reinterpretAsFloats().fma(b, d1);
            o += FL * 4;
            b = FloatVector.broadcast(F, x[xo + k + 1]);
            v = IntVector.fromByteBuffer(I, p, o, LE);
            u = IntVector.fromByteBuffer(I, p, o + ps, LE);
            w = IntVector.fromByteBuffer(I, p, o + 2 * ps, LE);
            z = IntVector.fromByteBuffer(I, p, o + 3 * ps, LE);
            a0 = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(b, a0);
            a1 = v.and(HIGH).reinterpretAsFloats().fma(b, a1);
            b0 = u.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(b, b0);
            b1 = u.and(HIGH).reinterpretAsFloats().fma(b, b1);
            c0 = w.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(b, c0);
            c1 = w.and(HIGH).reinterpretAsFloats().fma(b, c1);
            d0 = z.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(b, d0);
            d1 = z.and(HIGH).reinterpretAsFloats().fma(b, d1);
        }
        if (k < kc) { // odd kc: the last step
            int o = po + k * FL * 4;
            FloatVector b = FloatVector.broadcast(F, x[xo + k]);
            IntVector v = IntVector.fromByteBuffer(I, p, o, LE);
            IntVector u = IntVector.fromByteBuffer(I, p, o + ps, LE);
            IntVector w = IntVector.fromByteBuffer(I, p, o + 2 * ps, LE);
            IntVector z = IntVector.fromByteBuffer(I, p, o + 3 * ps, LE);
            a0 = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(b, a0);
            a1 = v.and(HIGH).reinterpretAsFloats().fma(b, a1);
            b0 = u.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(b, b0);
            b1 = u.and(HIGH).reinterpretAsFloats().fma(b, b1);
            c0 = w.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(b, c0);
            c1 = w.and(HIGH).reinterpretAsFloats().fma(b, c1);
            d0 = z.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(b, d0);
            d1 = z.and(HIGH).reinterpretAsFloats().fma(b, d1);
        }
        a0.intoArray(t, 0 * FL);
        a1.intoArray(t, 1 * FL);
        b0.intoArray(t, 2 * FL);
        b1.intoArray(t, 3 * FL);
        c0.intoArray(t, 4 * FL);
        c1.intoArray(t, 5 * FL);
        d0.intoArray(t, 6 * FL);
        d1.intoArray(t, 7 * FL);
    }

    /**
     * Two token rows × four panels (byte stride ps), as {@link #bf16x1p4}: four streams, each running
     * on through a quarter of the sub-range's panels, where the 4-row tile restarts four short streams
     * (the quarters of one panel's k) at every panel. Tile row i of panel g at t[(g·2 + i)·NB].
     * Experts with 2 or 3 tokens are about a third of those at batch 32 and most at batch 8. Timed
     * per expert at batch 32, a 2-, 3- or 4-token expert took the same 300 µs (10.5 GB/s) where a
     * one-token expert, streamed this way, took 245 (12.8 GB/s). With this tile and {@link #bf16x3p4}
     * (whole runs, alternating): batch 32 476, 466 → 513, 469 tok/s, batch 8 252, 258 → 267, 263,
     * the MoE phase 5.47, 5.66 → 5.05, 5.43 ms a layer at batch 32. Splitting 4 to 6 rows into two
     * such tiles (the second pass over the group from L2) was slower: 1 MB matrices from memory on two
     * threads, 143 against 130 µs for 4 rows, 155 against 110 for 6.
     */
    private static void bf16x2p4(ByteBuffer p, int po, int ps, int kc, float[] x, int xo, float[] t) {
        FloatVector a00 = FloatVector.zero(F), a01 = a00;
        FloatVector a10 = FloatVector.zero(F), a11 = a10;
        FloatVector b00 = FloatVector.zero(F), b01 = b00;
        FloatVector b10 = FloatVector.zero(F), b11 = b10;
        FloatVector c00 = FloatVector.zero(F), c01 = c00;
        FloatVector c10 = FloatVector.zero(F), c11 = c10;
        FloatVector d00 = FloatVector.zero(F), d01 = d00;
        FloatVector d10 = FloatVector.zero(F), d11 = d10;
        int k = 0;
        for (; k + 1 < kc; k += 2) {
            int o = po + k * FL * 4;
            FloatVector w0 = FloatVector.broadcast(F, x[xo + 2 * k + 0]);
            FloatVector w1 = FloatVector.broadcast(F, x[xo + 2 * k + 1]);
            IntVector va0 = IntVector.fromByteBuffer(I, p, o, LE);
            IntVector vb0 = IntVector.fromByteBuffer(I, p, o + ps, LE);
            IntVector vc0 = IntVector.fromByteBuffer(I, p, o + 2 * ps, LE);
            IntVector vd0 = IntVector.fromByteBuffer(I, p, o + 3 * ps, LE);
            FloatVector la0 = va0.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            a00 = la0.fma(w0, a00);
            a10 = la0.fma(w1, a10);
            FloatVector ha0 = va0.and(HIGH).reinterpretAsFloats();
            a01 = ha0.fma(w0, a01);
            a11 = ha0.fma(w1, a11);
            FloatVector lb0 = vb0.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            b00 = lb0.fma(w0, b00);
            b10 = lb0.fma(w1, b10);
            FloatVector hb0 = vb0.and(HIGH).reinterpretAsFloats();
            b01 = hb0.fma(w0, b01);
            b11 = hb0.fma(w1, b11);
            FloatVector lc0 = vc0.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            c00 = lc0.fma(w0, c00);
            c10 = lc0.fma(w1, c10);
            FloatVector hc0 = vc0.and(HIGH).reinterpretAsFloats();
            c01 = hc0.fma(w0, c01);
            c11 = hc0.fma(w1, c11);
            FloatVector ld0 = vd0.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            d00 = ld0.fma(w0, d00);
            d10 = ld0.fma(w1, d10);
            FloatVector hd0 = vd0.and(HIGH).reinterpretAsFloats();
            d01 = hd0.fma(w0, d01);
            d11 = hd0.fma(w1, d11);
            o += FL * 4;
            w0 = FloatVector.broadcast(F, x[xo + 2 * k + 2]);
            w1 = FloatVector.broadcast(F, x[xo + 2 * k + 3]);
            IntVector va1 = IntVector.fromByteBuffer(I, p, o, LE);
            IntVector vb1 = IntVector.fromByteBuffer(I, p, o + ps, LE);
            IntVector vc1 = IntVector.fromByteBuffer(I, p, o + 2 * ps, LE);
            IntVector vd1 = IntVector.fromByteBuffer(I, p, o + 3 * ps, LE);
            FloatVector la1 = va1.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            a00 = la1.fma(w0, a00);
            a10 = la1.fma(w1, a10);
            FloatVector ha1 = va1.and(HIGH).reinterpretAsFloats();
            a01 = ha1.fma(w0, a01);
            a11 = ha1.fma(w1, a11);
            FloatVector lb1 = vb1.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            b00 = lb1.fma(w0, b00);
            b10 = lb1.fma(w1, b10);
            FloatVector hb1 = vb1.and(HIGH).reinterpretAsFloats();
            b01 = hb1.fma(w0, b01);
            b11 = hb1.fma(w1, b11);
            FloatVector lc1 = vc1.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            c00 = lc1.fma(w0, c00);
            c10 = lc1.fma(w1, c10);
            FloatVector hc1 = vc1.and(HIGH).reinterpretAsFloats();
            c01 = hc1.fma(w0, c01);
            c11 = hc1.fma(w1, c11);
            FloatVector ld1 = vd1.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            d00 = ld1.fma(w0, d00);
            d10 = ld1.fma(w1, d10);
            FloatVector hd1 = vd1.and(HIGH).reinterpretAsFloats();
            d01 = hd1.fma(w0, d01);
            d11 = hd1.fma(w1, d11);
        }
        for (; k < kc; k++) {
            int o = po + k * FL * 4;
            FloatVector w0 = FloatVector.broadcast(F, x[xo + 2 * k]);
            FloatVector w1 = FloatVector.broadcast(F, x[xo + 2 * k + 1]);
            IntVector va = IntVector.fromByteBuffer(I, p, o, LE);
            a00 = va.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(w0, a00);
            a10 = va.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(w1, a10);
            a01 = va.and(HIGH).reinterpretAsFloats().fma(w0, a01);
            a11 = va.and(HIGH).reinterpretAsFloats().fma(w1, a11);
            IntVector vb = IntVector.fromByteBuffer(I, p, o + ps, LE);
            b00 = vb.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(w0, b00);
            b10 = vb.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(w1, b10);
            b01 = vb.and(HIGH).reinterpretAsFloats().fma(w0, b01);
            b11 = vb.and(HIGH).reinterpretAsFloats().fma(w1, b11);
            IntVector vc = IntVector.fromByteBuffer(I, p, o + 2 * ps, LE);
            c00 = vc.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(w0, c00);
            c10 = vc.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(w1, c10);
            c01 = vc.and(HIGH).reinterpretAsFloats().fma(w0, c01);
            c11 = vc.and(HIGH).reinterpretAsFloats().fma(w1, c11);
            IntVector vd = IntVector.fromByteBuffer(I, p, o + 3 * ps, LE);
            d00 = vd.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(w0, d00);
            d10 = vd.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(w1, d10);
            d01 = vd.and(HIGH).reinterpretAsFloats().fma(w0, d01);
            d11 = vd.and(HIGH).reinterpretAsFloats().fma(w1, d11);
        }
        a00.intoArray(t, 0 * FL);
        a01.intoArray(t, 1 * FL);
        a10.intoArray(t, 2 * FL);
        a11.intoArray(t, 3 * FL);
        b00.intoArray(t, 4 * FL);
        b01.intoArray(t, 5 * FL);
        b10.intoArray(t, 6 * FL);
        b11.intoArray(t, 7 * FL);
        c00.intoArray(t, 8 * FL);
        c01.intoArray(t, 9 * FL);
        c10.intoArray(t, 10 * FL);
        c11.intoArray(t, 11 * FL);
        d00.intoArray(t, 12 * FL);
        d01.intoArray(t, 13 * FL);
        d10.intoArray(t, 14 * FL);
        d11.intoArray(t, 15 * FL);
    }

    /**
     * Three token rows × four panels, as {@link #bf16x2p4}: 24 accumulators, so one k step an
     * iteration. Tile row i of panel g at t[(g·3 + i)·NB].
     */
    private static void bf16x3p4(ByteBuffer p, int po, int ps, int kc, float[] x, int xo, float[] t) {
        FloatVector a00 = FloatVector.zero(F), a01 = a00;
        FloatVector a10 = FloatVector.zero(F), a11 = a10;
        FloatVector a20 = FloatVector.zero(F), a21 = a20;
        FloatVector b00 = FloatVector.zero(F), b01 = b00;
        FloatVector b10 = FloatVector.zero(F), b11 = b10;
        FloatVector b20 = FloatVector.zero(F), b21 = b20;
        FloatVector c00 = FloatVector.zero(F), c01 = c00;
        FloatVector c10 = FloatVector.zero(F), c11 = c10;
        FloatVector c20 = FloatVector.zero(F), c21 = c20;
        FloatVector d00 = FloatVector.zero(F), d01 = d00;
        FloatVector d10 = FloatVector.zero(F), d11 = d10;
        FloatVector d20 = FloatVector.zero(F), d21 = d20;
        for (int k = 0, xk = xo; k < kc; k++, xk += 3) {
            int o = po + k * FL * 4;
            IntVector va = IntVector.fromByteBuffer(I, p, o, LE);
            IntVector vb = IntVector.fromByteBuffer(I, p, o + ps, LE);
            IntVector vc = IntVector.fromByteBuffer(I, p, o + 2 * ps, LE);
            IntVector vd = IntVector.fromByteBuffer(I, p, o + 3 * ps, LE);
            FloatVector w;
            w = FloatVector.broadcast(F, x[xk + 0]);
            a00 = va.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(w, a00);
            a01 = va.and(HIGH).reinterpretAsFloats().fma(w, a01);
            b00 = vb.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(w, b00);
            b01 = vb.and(HIGH).reinterpretAsFloats().fma(w, b01);
            c00 = vc.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(w, c00);
            c01 = vc.and(HIGH).reinterpretAsFloats().fma(w, c01);
            d00 = vd.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(w, d00);
            d01 = vd.and(HIGH).reinterpretAsFloats().fma(w, d01);
            w = FloatVector.broadcast(F, x[xk + 1]);
            a10 = va.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(w, a10);
            a11 = va.and(HIGH).reinterpretAsFloats().fma(w, a11);
            b10 = vb.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(w, b10);
            b11 = vb.and(HIGH).reinterpretAsFloats().fma(w, b11);
            c10 = vc.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(w, c10);
            c11 = vc.and(HIGH).reinterpretAsFloats().fma(w, c11);
            d10 = vd.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(w, d10);
            d11 = vd.and(HIGH).reinterpretAsFloats().fma(w, d11);
            w = FloatVector.broadcast(F, x[xk + 2]);
            a20 = va.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(w, a20);
            a21 = va.and(HIGH).reinterpretAsFloats().fma(w, a21);
            b20 = vb.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(w, b20);
            b21 = vb.and(HIGH).reinterpretAsFloats().fma(w, b21);
            c20 = vc.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(w, c20);
            c21 = vc.and(HIGH).reinterpretAsFloats().fma(w, c21);
            d20 = vd.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(w, d20);
            d21 = vd.and(HIGH).reinterpretAsFloats().fma(w, d21);
        }
        a00.intoArray(t, 0 * FL);
        a01.intoArray(t, 1 * FL);
        a10.intoArray(t, 2 * FL);
        a11.intoArray(t, 3 * FL);
        a20.intoArray(t, 4 * FL);
        a21.intoArray(t, 5 * FL);
        b00.intoArray(t, 6 * FL);
        b01.intoArray(t, 7 * FL);
        b10.intoArray(t, 8 * FL);
        b11.intoArray(t, 9 * FL);
        b20.intoArray(t, 10 * FL);
        b21.intoArray(t, 11 * FL);
        c00.intoArray(t, 12 * FL);
        c01.intoArray(t, 13 * FL);
        c10.intoArray(t, 14 * FL);
        c11.intoArray(t, 15 * FL);
        c20.intoArray(t, 16 * FL);
        c21.intoArray(t, 17 * FL);
        d00.intoArray(t, 18 * FL);
        d01.intoArray(t, 19 * FL);
        d10.intoArray(t, 20 * FL);
        d11.intoArray(t, 21 * FL);
        d20.intoArray(t, 22 * FL);
        d21.intoArray(t, 23 * FL);
    }

    /**
     * One token row × one panel, k in four interleaved streams (its quarters), as {@link #bf16x4}:
     * for the panels a thread has past its groups of {@value #PG}, which a single stream read at a
     * fraction of the bandwidth (q_a_proj's two leftover panels per thread took a quarter of it).
     */
    private static void bf16x1k4(ByteBuffer p, int po, int kc, float[] x, int xo, float[] t) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, b0 = a0, b1 = a0, c0 = a0, c1 = a0, d0 = a0, d1 = a0;
        int q = kc / 4;
        int qb = q * FL * 4; // byte distance between the streams
        for (int k = 0; k < q; k++) {
            int o = po + k * FL * 4;
            IntVector v = IntVector.fromByteBuffer(I, p, o, LE);
            IntVector u = IntVector.fromByteBuffer(I, p, o + qb, LE);
            IntVector w = IntVector.fromByteBuffer(I, p, o + 2 * qb, LE);
            IntVector z = IntVector.fromByteBuffer(I, p, o + 3 * qb, LE);
            FloatVector e = FloatVector.broadcast(F, x[xo + k]);
            FloatVector f = FloatVector.broadcast(F, x[xo + k + q]);
            FloatVector g = FloatVector.broadcast(F, x[xo + k + 2 * q]);
            FloatVector h = FloatVector.broadcast(F, x[xo + k + 3 * q]);
            a0 = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(e, a0);
            a1 = v.and(HIGH).reinterpretAsFloats().fma(e, a1);
            b0 = u.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(f, b0);
            b1 = u.and(HIGH).reinterpretAsFloats().fma(f, b1);
            c0 = w.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(g, c0);
            c1 = w.and(HIGH).reinterpretAsFloats().fma(g, c1);
            d0 = z.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(h, d0);
            d1 = z.and(HIGH).reinterpretAsFloats().fma(h, d1);
        }
        for (int k = 4 * q; k < kc; k++) { // kc mod 4 steps
            IntVector v = IntVector.fromByteBuffer(I, p, po + k * FL * 4, LE);
            FloatVector e = FloatVector.broadcast(F, x[xo + k]);
            a0 = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(e, a0);
            a1 = v.and(HIGH).reinterpretAsFloats().fma(e, a1);
        }
        a0.add(b0).add(c0.add(d0)).intoArray(t, 0);
        a1.add(b1).add(c1.add(d1)).intoArray(t, FL);
    }

    // ---- F32 micro-kernels: as the BF16 ones, two float vectors loaded per k ------------------------

    private static void f32x8(ByteBuffer p, int po, int kc, float[] x, int xo, float[] t) {
        FloatVector a00 = FloatVector.zero(F), a01 = FloatVector.zero(F);
        FloatVector a10 = FloatVector.zero(F), a11 = FloatVector.zero(F);
        FloatVector a20 = FloatVector.zero(F), a21 = FloatVector.zero(F);
        FloatVector a30 = FloatVector.zero(F), a31 = FloatVector.zero(F);
        FloatVector a40 = FloatVector.zero(F), a41 = FloatVector.zero(F);
        FloatVector a50 = FloatVector.zero(F), a51 = FloatVector.zero(F);
        FloatVector a60 = FloatVector.zero(F), a61 = FloatVector.zero(F);
        FloatVector a70 = FloatVector.zero(F), a71 = FloatVector.zero(F);
        for (int k = 0, xk = xo; k < kc; k++, xk += 8) {
            int o = po + k * NB * 4;
            FloatVector lo = FloatVector.fromByteBuffer(F, p, o, LE);
            FloatVector hi = FloatVector.fromByteBuffer(F, p, o + FL * 4, LE);
            FloatVector b = FloatVector.broadcast(F, x[xk + 0]);
            a00 = lo.fma(b, a00);
            a01 = hi.fma(b, a01);
            b = FloatVector.broadcast(F, x[xk + 1]);
            a10 = lo.fma(b, a10);
            a11 = hi.fma(b, a11);
            b = FloatVector.broadcast(F, x[xk + 2]);
            a20 = lo.fma(b, a20);
            a21 = hi.fma(b, a21);
            b = FloatVector.broadcast(F, x[xk + 3]);
            a30 = lo.fma(b, a30);
            a31 = hi.fma(b, a31);
            b = FloatVector.broadcast(F, x[xk + 4]);
            a40 = lo.fma(b, a40);
            a41 = hi.fma(b, a41);
            b = FloatVector.broadcast(F, x[xk + 5]);
            a50 = lo.fma(b, a50);
            a51 = hi.fma(b, a51);
            b = FloatVector.broadcast(F, x[xk + 6]);
            a60 = lo.fma(b, a60);
            a61 = hi.fma(b, a61);
            b = FloatVector.broadcast(F, x[xk + 7]);
            a70 = lo.fma(b, a70);
            a71 = hi.fma(b, a71);
        }
        a00.intoArray(t, 0 * FL);
        a01.intoArray(t, 1 * FL);
        a10.intoArray(t, 2 * FL);
        a11.intoArray(t, 3 * FL);
        a20.intoArray(t, 4 * FL);
        a21.intoArray(t, 5 * FL);
        a30.intoArray(t, 6 * FL);
        a31.intoArray(t, 7 * FL);
        a40.intoArray(t, 8 * FL);
        a41.intoArray(t, 9 * FL);
        a50.intoArray(t, 10 * FL);
        a51.intoArray(t, 11 * FL);
        a60.intoArray(t, 12 * FL);
        a61.intoArray(t, 13 * FL);
        a70.intoArray(t, 14 * FL);
        a71.intoArray(t, 15 * FL);
    }

    private static void f32x4(ByteBuffer p, int po, int kc, float[] x, int xo, float[] t) {
        FloatVector a00 = FloatVector.zero(F), a01 = FloatVector.zero(F);
        FloatVector a10 = FloatVector.zero(F), a11 = FloatVector.zero(F);
        FloatVector a20 = FloatVector.zero(F), a21 = FloatVector.zero(F);
        FloatVector a30 = FloatVector.zero(F), a31 = FloatVector.zero(F);
        for (int k = 0, xk = xo; k < kc; k++, xk += 4) {
            int o = po + k * NB * 4;
            FloatVector lo = FloatVector.fromByteBuffer(F, p, o, LE);
            FloatVector hi = FloatVector.fromByteBuffer(F, p, o + FL * 4, LE);
            FloatVector b = FloatVector.broadcast(F, x[xk + 0]);
            a00 = lo.fma(b, a00);
            a01 = hi.fma(b, a01);
            b = FloatVector.broadcast(F, x[xk + 1]);
            a10 = lo.fma(b, a10);
            a11 = hi.fma(b, a11);
            b = FloatVector.broadcast(F, x[xk + 2]);
            a20 = lo.fma(b, a20);
            a21 = hi.fma(b, a21);
            b = FloatVector.broadcast(F, x[xk + 3]);
            a30 = lo.fma(b, a30);
            a31 = hi.fma(b, a31);
        }
        a00.intoArray(t, 0 * FL);
        a01.intoArray(t, 1 * FL);
        a10.intoArray(t, 2 * FL);
        a11.intoArray(t, 3 * FL);
        a20.intoArray(t, 4 * FL);
        a21.intoArray(t, 5 * FL);
        a30.intoArray(t, 6 * FL);
        a31.intoArray(t, 7 * FL);
    }

    private static void f32x1p4(ByteBuffer p, int po, int ps, int kc, float[] x, int xo, float[] t) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, b0 = a0, b1 = a0, c0 = a0, c1 = a0, d0 = a0, d1 = a0;
        for (int k = 0; k < kc; k++) {
            int o = po + k * NB * 4;
            FloatVector b = FloatVector.broadcast(F, x[xo + k]);
            a0 = FloatVector.fromByteBuffer(F, p, o, LE).fma(b, a0);
            a1 = FloatVector.fromByteBuffer(F, p, o + FL * 4, LE).fma(b, a1);
            b0 = FloatVector.fromByteBuffer(F, p, o + ps, LE).fma(b, b0);
            b1 = FloatVector.fromByteBuffer(F, p, o + ps + FL * 4, LE).fma(b, b1);
            c0 = FloatVector.fromByteBuffer(F, p, o + 2 * ps, LE).fma(b, c0);
            c1 = FloatVector.fromByteBuffer(F, p, o + 2 * ps + FL * 4, LE).fma(b, c1);
            d0 = FloatVector.fromByteBuffer(F, p, o + 3 * ps, LE).fma(b, d0);
            d1 = FloatVector.fromByteBuffer(F, p, o + 3 * ps + FL * 4, LE).fma(b, d1);
        }
        a0.intoArray(t, 0 * FL);
        a1.intoArray(t, 1 * FL);
        b0.intoArray(t, 2 * FL);
        b1.intoArray(t, 3 * FL);
        c0.intoArray(t, 4 * FL);
        c1.intoArray(t, 5 * FL);
        d0.intoArray(t, 6 * FL);
        d1.intoArray(t, 7 * FL);
    }

    private static void f32x1(ByteBuffer p, int po, int kc, float[] x, int xo, float[] t) {
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
        FloatVector c0 = FloatVector.zero(F), c1 = FloatVector.zero(F);
        int k = 0;
        for (; k + 1 < kc; k += 2) {
            int o = po + k * NB * 4;
            FloatVector b = FloatVector.broadcast(F, x[xo + k]);
            FloatVector d = FloatVector.broadcast(F, x[xo + k + 1]);
            a0 = FloatVector.fromByteBuffer(F, p, o, LE).fma(b, a0);
            a1 = FloatVector.fromByteBuffer(F, p, o + FL * 4, LE).fma(b, a1);
            c0 = FloatVector.fromByteBuffer(F, p, o + NB * 4, LE).fma(d, c0);
            c1 = FloatVector.fromByteBuffer(F, p, o + NB * 4 + FL * 4, LE).fma(d, c1);
        }
        if (k < kc) {
            int o = po + k * NB * 4;
            FloatVector b = FloatVector.broadcast(F, x[xo + k]);
            a0 = FloatVector.fromByteBuffer(F, p, o, LE).fma(b, a0);
            a1 = FloatVector.fromByteBuffer(F, p, o + FL * 4, LE).fma(b, a1);
        }
        a0.add(c0).intoArray(t, 0 * FL);
        a1.add(c1).intoArray(t, 1 * FL);
    }
}
