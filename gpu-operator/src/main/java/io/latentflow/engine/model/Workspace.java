package io.latentflow.engine.model;

import io.latentflow.engine.checkpoint.ModelConfig;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Activation buffers of one forward step, reused across steps and grown only when a step has more
 * token rows or longer sequences than any before, so the hot loop allocates nothing.
 */
final class Workspace {
    private final ModelConfig c;
    private final int ffnWidth;
    private int rows;
    private int positions;
    private int logitRows;

    // per token row
    float[] h;             // (rows, hidden) residual stream
    float[] xn;            // (rows, hidden) normed input of a sub-layer
    float[] tmp;           // (rows, hidden)
    float[] qa;            // (rows, q_lora)
    float[] q;             // (rows, heads · (nope + rope))
    float[] kv;            // (rows, kv_lora + rope)
    float[] qkv;           // (rows, qIn + kv_lora + rope): the stacked input projections' output
    float[] attn;          // (rows, heads · v)
    float[] routerLogits;  // (rows, experts)
    int[] expertIdx;       // (rows, top_k)
    float[] expertWeight;  // (rows, top_k)
    int[] expertTokens;    // (rows · top_k) slots sorted by expert
    int[] expertStart;     // (experts + 1) expert e's slots start at expertStart[e]
    int[] expertNext;      // (experts) counting-sort cursors
    float[] gathered;      // (rows · top_k, hidden) the slots' token rows, sorted by expert
    long routerNanos;      // router time of the current step, summed over layers (LayerTimes)
    float[] ffnGate;       // (rows, max ffn width)
    float[] ffnUp;         // (rows, max ffn width)
    float[] ffnOut;        // (rows, hidden)
    float[] expertOut;     // (rows · top_k, hidden) routed experts' outputs, in gathered order
    float[][] partGate;    // (parts) of (rows, moe width): each MoE part's gate scratch
    float[][] partUp;      // (parts) of (rows, moe width)
    int[] unitOrder;       // (experts) the step's routed experts with tokens, costliest first
    int units;             // how many of unitOrder
    final AtomicInteger nextUnit = new AtomicInteger(); // the next unit a MoE part claims
    volatile int routed;   // MoeFeedForward.ROUTING / ROUTED / FAILED: the other MoE parts wait on it
    final AtomicBoolean sharedTaken = new AtomicBoolean(); // a MoE part has claimed the shared expert
    float[] qLatent;       // (heads, rows, kv_lora) absorbed queries, per head (heads run in parallel)
    float[] oLatent;       // (heads, rows, kv_lora) attention output in latent space, per head
    // per cached position of one sequence; per head parts are positionCapacity() apart
    float[] scores;        // (heads, positions)
    float[] latents;       // (positions, kv_lora)
    float[] ropeKeys;      // (positions, rope)
    float[] keys;          // (heads, positions, nope + rope) expanded keys with their rope part
    float[] values;        // (heads, positions, v) expanded values
    // per row that needs logits
    float[] normed;        // (logit rows, hidden)
    float[] logits;        // (logit rows, vocab)

    /** @param parts how many MoE work parts run at once (the backend's parallelism) */
    Workspace(ModelConfig c, int parts) {
        this.c = c;
        this.partGate = new float[parts][0];
        this.partUp = new float[parts][0];
        this.unitOrder = new int[c.nRoutedExperts()];
        this.expertStart = new int[c.nRoutedExperts() + 1];
        this.expertNext = new int[c.nRoutedExperts() + 1];
        this.ffnWidth = Math.max(c.intermediateSize(),
                c.moeIntermediateSize() * Math.max(1, c.nSharedExperts()));
    }

    /** Positions the per-position buffers hold: the stride between heads' parts of scores, keys, values. */
    int positionCapacity() {
        return positions;
    }

    void ensure(int needRows, int needPositions, int needLogitRows) {
        if (needRows > rows) {
            int r = Math.max(needRows, rows * 2);
            int hidden = c.hiddenSize();
            int heads = c.numAttentionHeads();
            int k = Math.max(1, c.numExpertsPerTok());
            h = new float[r * hidden];
            xn = new float[r * hidden];
            tmp = new float[r * hidden];
            qa = new float[r * Math.max(1, c.qLoraRank())];
            q = new float[r * heads * c.qkHeadDim()];
            kv = new float[r * c.latentCacheWidth()];
            qkv = new float[r * (c.queryInputWidth() + c.latentCacheWidth())];
            attn = new float[r * heads * c.vHeadDim()];
            routerLogits = new float[r * Math.max(1, c.nRoutedExperts())];
            expertIdx = new int[r * k];
            expertWeight = new float[r * k];
            expertTokens = new int[r * k];
            gathered = new float[r * k * hidden];
            ffnGate = new float[r * ffnWidth];
            ffnUp = new float[r * ffnWidth];
            ffnOut = new float[r * hidden];
            expertOut = new float[r * k * hidden];
            int moeWidth = c.moeIntermediateSize() * Math.max(1, c.nSharedExperts());
            for (int p = 0; p < partGate.length; p++) {
                partGate[p] = new float[r * moeWidth];
                partUp[p] = new float[r * moeWidth];
            }
            qLatent = new float[heads * r * c.kvLoraRank()];
            oLatent = new float[heads * r * c.kvLoraRank()];
            rows = r;
        }
        if (needPositions > positions) {
            int p = Math.max(needPositions, positions * 2);
            int heads = c.numAttentionHeads();
            scores = new float[heads * p];
            latents = new float[p * c.kvLoraRank()];
            ropeKeys = new float[p * c.qkRopeHeadDim()];
            keys = new float[heads * p * c.qkHeadDim()];
            values = new float[heads * p * c.vHeadDim()];
            positions = p;
        }
        if (needLogitRows > logitRows) {
            int l = Math.max(needLogitRows, logitRows * 2);
            normed = new float[l * c.hiddenSize()];
            logits = new float[l * c.vocabSize()];
            logitRows = l;
        }
    }
}
