package io.latentflow.engine.model;

import io.latentflow.engine.EngineConfig.MlaMode;
import io.latentflow.engine.checkpoint.ModelConfig;
import io.latentflow.engine.ops.Ops;
import java.util.List;

/**
 * Multi-head latent attention over the latent cache. Each token caches only its normed KV latent
 * and its rotated shared rope key. Two equivalent ways to attend:
 * <ul>
 *   <li>expanded: per head, keys {@code W_UK·c_t} and values {@code W_UV·c_t} for every cached
 *   position; cheaper for multi-token chunks (prefill);</li>
 *   <li>absorbed: the query is folded into latent space, {@code q_lat = W_UKᵀ·q_nope}, scores are
 *   {@code q_lat·c_t + q_pe·k_pe_t} and the latent-space output goes through {@code W_UV} once;
 *   cheaper for single-token decode steps.</li>
 * </ul>
 */
final class MlaAttention {
    private static final float LORA_NORM_EPS = 1e-6f;
    private static final ThreadLocal<float[]> ROW_SCORES = ThreadLocal.withInitial(() -> new float[256]);
    /**
     * Query heads attended together over one row's cache in absorbed decode when the step has fewer
     * row blocks than threads; with enough blocks, all heads go together.
     */
    private static final int HEAD_GROUP = 4;
    /** Rows whose query and value projections one absorbed-decode item runs together (a GEMM tile). */
    private static final int ROW_BLOCK = 8;
    private final ThreadLocal<float[]> groupQuery;

    private final ModelConfig c;
    private final Rope rope;
    private final float scale;
    private final int heads;
    private final int qk;    // nope + rope: one query head
    private final int nope;
    private final int ropeDim;
    private final int kvl;   // kv_lora_rank
    private final int v;

    MlaAttention(ModelConfig c) {
        this.c = c;
        this.rope = new Rope(c);
        this.scale = Rope.softmaxScale(c);
        this.heads = c.numAttentionHeads();
        this.qk = c.qkHeadDim();
        this.nope = c.qkNopeHeadDim();
        this.ropeDim = c.qkRopeHeadDim();
        this.kvl = c.kvLoraRank();
        this.v = c.vHeadDim();
        int width = kvl + ropeDim;
        this.groupQuery = ThreadLocal.withInitial(() -> new float[heads * width]);
    }

    /** {@code h += attn(input_layernorm(h))} for all rows of the step; writes the chunks' cache rows. */
    void addTo(Ops ops, LayerWeights w, int layer, List<Chunk> chunks, int[] starts, int rows, MlaMode mode,
               Workspace ws) {
        int hidden = c.hiddenSize();
        int width = c.latentCacheWidth();
        ops.rmsnorm(w.inputNorm, (float) c.rmsNormEps(), ws.h, 0, hidden, ws.xn, 0, hidden, rows);

        // query: q_proj, or q_b_proj(q_a_layernorm(q_a_proj(x))); [latent | k_pe] =
        // kv_a_proj_with_mqa(x), latent normed, k_pe rotated below
        int qlr = c.qLoraRank();
        int qIn = c.queryInputWidth();
        if (w.inProj != null) {
            // both input projections in one matmul: row r of qkv is [q_proj or q_a | latent | k_pe]
            int sw = qIn + width;
            ops.matmul(w.inProj, ws.xn, 0, hidden, ws.qkv, 0, sw, rows);
            if (qlr == 0) {
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(ws.qkv, r * sw, ws.q, r * qIn, qIn);
                }
            } else {
                ops.rmsnorm(w.qANorm, LORA_NORM_EPS, ws.qkv, 0, sw, ws.qa, 0, qlr, rows);
            }
            ops.rmsnorm(w.kvANorm, LORA_NORM_EPS, ws.qkv, qIn, sw, ws.kv, 0, width, rows);
            for (int r = 0; r < rows; r++) {
                System.arraycopy(ws.qkv, r * sw + qIn + kvl, ws.kv, r * width + kvl, ropeDim);
            }
        } else {
            if (qlr == 0) {
                ops.matmul(w.qProj, ws.xn, 0, hidden, ws.q, 0, qIn, rows);
            } else {
                ops.matmul(w.qA, ws.xn, 0, hidden, ws.qa, 0, qlr, rows);
                ops.rmsnorm(w.qANorm, LORA_NORM_EPS, ws.qa, 0, qlr, ws.qa, 0, qlr, rows);
            }
            ops.matmul(w.kvA, ws.xn, 0, hidden, ws.kv, 0, width, rows);
            ops.rmsnorm(w.kvANorm, LORA_NORM_EPS, ws.kv, 0, width, ws.kv, 0, width, rows);
        }
        if (qlr > 0) {
            ops.matmul(w.qB, ws.qa, 0, qlr, ws.q, 0, heads * qk, rows);
        }

        // rope on q_pe and k_pe, then the new positions go into the cache
        int r = 0;
        for (int ci = 0; ci < chunks.size(); ci++) {
            Sequence seq = chunks.get(ci).seq();
            int n = chunks.get(ci).tokens().length;
            for (int i = 0; i < n; i++, r++) {
                int pos = starts[ci] + i;
                for (int hd = 0; hd < heads; hd++) {
                    rope.apply(ws.q, r * heads * qk + hd * qk + nope, pos);
                }
                rope.apply(ws.kv, r * width + kvl, pos);
                System.arraycopy(ws.kv, r * width, seq.array(layer, pos), seq.offset(pos), width);
            }
        }

        // attention, heads written side by side into attn (rows, heads · v): the absorbed chunks
        // together (their projections are one matmul per head over all the step's rows), then each
        // expanded chunk, which overwrites its rows
        boolean anyAbsorbed = false;
        for (Chunk ch : chunks) {
            anyAbsorbed |= !expanded(mode, ch);
        }
        if (anyAbsorbed) {
            attendAbsorbed(ops, w, layer, chunks, starts, rows, mode, ws);
        }
        int rowStart = 0;
        for (int ci = 0; ci < chunks.size(); ci++) {
            int n = chunks.get(ci).tokens().length;
            if (expanded(mode, chunks.get(ci))) {
                attendExpanded(ops, w, layer, chunks.get(ci).seq(), starts[ci], n, rowStart, ws);
            }
            rowStart += n;
        }

        // h += o_proj(attn)
        ops.matmul(w.oProj, ws.attn, 0, heads * c.vHeadDim(), ws.tmp, 0, hidden, rows);
        ops.axpy(1f, ws.tmp, 0, ws.h, 0, rows * hidden);
    }

    private void attendExpanded(Ops ops, LayerWeights w, int layer, Sequence seq, int start, int n, int rowStart,
                                Workspace ws) {
        int positions = start + n;
        // gather the cached latents (positions, kv_lora) and rope keys (positions, rope)
        for (int t = 0; t < positions; t++) {
            float[] a = seq.array(layer, t);
            int o = seq.offset(t);
            System.arraycopy(a, o, ws.latents, t * kvl, kvl);
            System.arraycopy(a, o + kvl, ws.ropeKeys, t * ropeDim, ropeDim);
        }
        int cap = ws.positionCapacity();
        // heads in parallel, each with its own slices of keys, values and scores
        ops.forEach(heads, hd -> {
            int ko = hd * cap * qk;
            int vo = hd * cap * v;
            int so = hd * cap;
            // keys (positions, nope + rope) laid out like a query head [q_nope | q_pe], and values
            // (positions, v) of this head
            ops.matmul(w.keyUpHead[hd], ws.latents, 0, kvl, ws.keys, ko, qk, positions);
            for (int t = 0; t < positions; t++) {
                System.arraycopy(ws.ropeKeys, t * ropeDim, ws.keys, ko + t * qk + nope, ropeDim);
            }
            ops.matmul(w.valueUpHead[hd], ws.latents, 0, kvl, ws.values, vo, v, positions);
            for (int i = 0; i < n; i++) {
                int qo = (rowStart + i) * heads * qk + hd * qk;
                int visible = start + i + 1; // causal
                ops.rowProducts(ws.keys, ko, qk, visible, qk, ws.q, qo, qk, ws.scores, so, visible, 1);
                ops.softmax(ws.scores, so, visible, scale);
                int out = (rowStart + i) * heads * v + hd * v;
                java.util.Arrays.fill(ws.attn, out, out + v, 0f);
                ops.addWeightedRows(ws.scores, so, visible, ws.values, vo, v, visible, v, ws.attn, out, v, 1);
            }
        });
    }

    /** Expanded form for multi-token chunks (prefill) in AUTO mode, where it is cheaper. */
    private static boolean expanded(MlaMode mode, Chunk ch) {
        return mode == MlaMode.EXPANDED || (mode == MlaMode.AUTO && ch.tokens().length > 1);
    }

    /**
     * Absorbed attention for the rows of the absorbed chunks; other rows of attn get values that
     * their expanded chunk overwrites. One parallel phase over (block of rows, group of heads) items,
     * each running the whole chain for its heads: q_lat = W_UKᵀ·q_nope over the block's rows, then per
     * row the scores over its cached latents, softmax and o_lat = Σ_t p_t · c_t, then W_UV·o_lat. One
     * hand-off per layer instead of one per step of the chain, and each item's small per-head weights
     * stay in its core's cache from the first use to the last.
     */
    private void attendAbsorbed(Ops ops, LayerWeights w, int layer, List<Chunk> chunks, int[] starts, int rows,
                                MlaMode mode, Workspace ws) {
        // each row's sequence and position, or null for rows of expanded chunks
        Sequence[] rowSeq = new Sequence[rows];
        int[] rowPos = new int[rows];
        int r0 = 0;
        for (int ci = 0; ci < chunks.size(); ci++) {
            Chunk ch = chunks.get(ci);
            boolean absorbed = !expanded(mode, ch);
            for (int i = 0; i < ch.tokens().length; i++, r0++) {
                rowSeq[r0] = absorbed ? ch.seq() : null;
                rowPos[r0] = starts[ci] + i;
            }
        }
        // a row's cached latents are read once per group of heads, from memory at larger batches
        // (32 rows × 160 positions: 5.9 MB a layer): one group of all heads when the row blocks
        // alone keep the threads busy, groups of HEAD_GROUP otherwise (batch 1)
        int blocks = (rows + ROW_BLOCK - 1) / ROW_BLOCK;
        int group = blocks >= ops.parallelism() ? heads : Math.min(HEAD_GROUP, heads);
        int groups = (heads + group - 1) / group;
        ops.forEach(blocks * groups, item -> {
            int b0 = (item / groups) * ROW_BLOCK;
            int bn = Math.min(ROW_BLOCK, rows - b0);
            int h0 = (item % groups) * group;
            int hn = Math.min(group, heads - h0);
            // q_lat = W_UKᵀ[h] · q_nope   (heads, rows, kv_lora)
            for (int hd = h0; hd < h0 + hn; hd++) {
                ops.matmul(w.absorbedKeyTHead[hd], ws.q, b0 * heads * qk + hd * qk, heads * qk,
                        ws.qLatent, (hd * rows + b0) * kvl, kvl, bn);
            }
            for (int r = b0; r < b0 + bn; r++) {
                attendRow(ops, layer, rowSeq[r], rowPos[r], r, rows, h0, hn, ws);
            }
            // out_h = W_UV[h] · o_lat   (rows, v) into the head's columns of attn
            for (int hd = h0; hd < h0 + hn; hd++) {
                ops.matmul(w.valueUpHead[hd], ws.oLatent, (hd * rows + b0) * kvl, kvl,
                        ws.attn, b0 * heads * v + hd * v, heads * v, bn);
            }
        });
    }

    /**
     * Heads [h0, h0 + hn) of row r over its sequence's cached positions: o_lat = Σ_t softmax(q·c_t)·c_t
     * with q = [q_lat | q_pe]. The group shares each loaded cache row. A null seq (a row of an expanded
     * chunk) gets zeros.
     */
    private void attendRow(Ops ops, int layer, Sequence seq, int pos, int r, int rows, int h0, int hn, Workspace ws) {
        for (int hd = h0; hd < h0 + hn; hd++) {
            int ol = (hd * rows + r) * kvl;
            java.util.Arrays.fill(ws.oLatent, ol, ol + kvl, 0f);
        }
        if (seq == null) {
            return;
        }
        int width = kvl + ropeDim;
        int visible = pos + 1;
        // queries [q_lat | q_pe] of the group's heads, laid out like cache rows: (hn, width)
        float[] query = groupQuery.get();
        for (int i = 0; i < hn; i++) {
            int hd = h0 + i;
            System.arraycopy(ws.qLatent, (hd * rows + r) * kvl, query, i * width, kvl);
            System.arraycopy(ws.q, r * heads * qk + hd * qk + nope, query, i * width + kvl, ropeDim);
        }
        float[] sc = rowScores(hn * visible); // (hn, visible), per thread
        for (int t = 0; t < visible; ) {
            int n = Math.min(seq.contiguous(t), visible - t);
            ops.rowProducts(seq.array(layer, t), seq.offset(t), width, n, width, query, 0, width, sc, t, visible, hn);
            t += n;
        }
        for (int i = 0; i < hn; i++) {
            ops.softmax(sc, i * visible, visible, scale);
        }
        // the group's o_lat rows lie rows · kvl apart in oLatent (heads, rows, kvl)
        for (int t = 0; t < visible; ) {
            int n = Math.min(seq.contiguous(t), visible - t);
            ops.addWeightedRows(sc, t, visible, seq.array(layer, t), seq.offset(t), width, n, kvl,
                    ws.oLatent, (h0 * rows + r) * kvl, rows * kvl, hn);
            t += n;
        }
    }

    /** Per-thread scores of one row's group of heads, at least n long. */
    private static float[] rowScores(int n) {
        float[] s = ROW_SCORES.get();
        if (s.length < n) {
            s = new float[Math.max(n, 2 * s.length)];
            ROW_SCORES.set(s);
        }
        return s;
    }
}
