package io.latentflow.engine.model;

import io.latentflow.engine.checkpoint.Checkpoint;
import io.latentflow.engine.checkpoint.ModelConfig;
import io.latentflow.engine.ops.Ops;
import io.latentflow.engine.tensor.Weight;

/**
 * Routed mixture of experts plus shared experts. The tokens of a step are grouped by expert so each
 * expert's weights are read once per step for all the tokens routed to it.
 */
final class MoeFeedForward implements FeedForward {
    /** Average tokens per routed expert up to which a step runs whole experts side by side. */
    private static final int SIDE_BY_SIDE_TOKENS = 8;

    private final Weight gate;       // (experts, hidden) router
    private final Router router;
    private final SwiGlu[] experts;  // (experts) of (moe_inter, hidden) / (hidden, moe_inter)
    private final SwiGlu shared;     // width moe_inter · n_shared, or null

    private MoeFeedForward(Weight gate, Router router, SwiGlu[] experts, SwiGlu shared) {
        this.gate = gate;
        this.router = router;
        this.experts = experts;
        this.shared = shared;
    }

    static MoeFeedForward load(Checkpoint ckpt, Ops ops, ModelConfig c, String prefix) {
        int h = c.hiddenSize();
        Weight gate = ops.prepareExact(ckpt.matrix(prefix + "gate.weight", c.nRoutedExperts(), h));
        float[] bias = "noaux_tc".equals(c.topkMethod())
                ? ckpt.vector(prefix + "gate.e_score_correction_bias", c.nRoutedExperts()).toFloats()
                : null;
        SwiGlu[] experts = new SwiGlu[c.nRoutedExperts()];
        for (int e = 0; e < experts.length; e++) {
            experts[e] = SwiGlu.load(ckpt, ops, prefix + "experts." + e + ".", h, c.moeIntermediateSize());
        }
        SwiGlu shared = c.nSharedExperts() > 0
                ? SwiGlu.load(ckpt, ops, prefix + "shared_experts.", h, c.moeIntermediateSize() * c.nSharedExperts())
                : null;
        return new MoeFeedForward(gate, new Router(c, bias), experts, shared);
    }

    @Override
    public void addTo(Ops ops, float[] xn, float[] h, int rows, Workspace ws) {
        long t0 = System.nanoTime();
        int hidden = gate.cols;
        int k = router.topK();
        int slots = rows * k;
        // router logits and top-k per token
        ops.matmul(gate, xn, 0, hidden, ws.routerLogits, 0, gate.rows, rows);
        for (int r = 0; r < rows; r++) {
            router.route(ws.routerLogits, r * gate.rows, ws.expertIdx, ws.expertWeight, r * k);
        }
        // counting sort of the (token, choice) slots by expert: expert e's slots are
        // expertTokens[start[e] .. start[e + 1]), and its tokens' rows lie at the same positions in gathered
        int[] start = ws.expertStart;
        java.util.Arrays.fill(start, 0, experts.length + 1, 0);
        for (int i = 0; i < slots; i++) {
            start[ws.expertIdx[i] + 1]++;
        }
        for (int e = 0; e < experts.length; e++) {
            start[e + 1] += start[e];
        }
        int[] next = ws.expertNext;
        System.arraycopy(start, 0, next, 0, experts.length);
        for (int i = 0; i < slots; i++) {
            int pos = next[ws.expertIdx[i]]++;
            ws.expertTokens[pos] = i;
            System.arraycopy(xn, (i / k) * hidden, ws.gathered, pos * hidden, hidden);
        }
        ws.routerNanos += System.nanoTime() - t0;

        // with a few tokens per expert (decode) the step streams weights: the chosen experts and the
        // shared expert run side by side, whole experts per thread, one hand-off per layer instead
        // of three per expert, each thread streaming its own experts' weights without waiting for the
        // other at every matrix. Each thread claims the next unit, costliest first, when it is done
        // with its last: a worker that starts late or streams slower takes fewer (a fixed
        // assignment balanced by cost left one thread waiting: the batch-32 phase 6.29 → 6.05 ms, the
        // batch-1 phase 0.87 → 0.82 ms, both versions in one process). With many tokens per expert
        // (prefill) one part runs them in turn and each matmul is split across the threads instead.
        int parts = orderUnits(ops.parallelism(), start, rows, ws);
        ws.nextUnit.set(0);
        ops.forEach(parts, part -> {
            float[] g = ws.partGate[part];
            float[] u = ws.partUp[part];
            for (int i; (i = ws.nextUnit.getAndIncrement()) < ws.units; ) {
                int e = ws.unitOrder[i];
                if (e < experts.length) {
                    experts[e].apply(ops, ws.gathered, start[e] * hidden, start[e + 1] - start[e],
                            ws.expertOut, start[e] * hidden, g, u);
                } else {
                    shared.apply(ops, xn, 0, rows, ws.ffnOut, 0, g, u);
                }
            }
        });
        // h += Σ weight · expert output, slot by slot, then the shared experts, which see every token
        for (int pos = 0; pos < slots; pos++) {
            int i = ws.expertTokens[pos];
            ops.axpy(ws.expertWeight[i], ws.expertOut, pos * hidden, h, (i / k) * hidden, hidden);
        }
        if (shared != null) {
            ops.axpy(1f, ws.ffnOut, 0, h, 0, rows * hidden);
        }
    }

    /**
     * Orders the step's work units (each routed expert with tokens, and the shared expert as unit
     * experts.length) by cost, largest first, into ws.unitOrder[0 .. ws.units). A unit's cost is its
     * parameters × (8 + tokens): reading a BF16 weight from memory costs about as much as eight
     * tokens' multiply-adds on it on these cores. Up to {@code parallelism} parts when the routed
     * experts average at most {@value #SIDE_BY_SIDE_TOKENS} tokens, else one.
     *
     * @return the number of parts
     */
    private int orderUnits(int parallelism, int[] start, int rows, Workspace ws) {
        int n = experts.length + 1;
        long[] cost = ws.unitCost;
        int units = 0;
        for (int e = 0; e < n; e++) {
            int tokens = e < experts.length ? start[e + 1] - start[e] : shared == null ? 0 : rows;
            SwiGlu s = e < experts.length ? experts[e] : shared;
            cost[e] = tokens == 0 ? 0 : 3L * s.inter() * s.gate().cols * (8 + tokens);
            if (tokens > 0) {
                ws.unitOrder[units++] = e;
            }
        }
        // insertion sort, costliest first (ties: lower unit first): at most experts + 1 units
        for (int i = 1; i < units; i++) {
            int e = ws.unitOrder[i];
            int j = i - 1;
            while (j >= 0 && cost[ws.unitOrder[j]] < cost[e]) {
                ws.unitOrder[j + 1] = ws.unitOrder[j];
                j--;
            }
            ws.unitOrder[j + 1] = e;
        }
        ws.units = units;
        int routedUnits = units - (cost[experts.length] > 0 ? 1 : 0);
        boolean streaming = start[experts.length] <= SIDE_BY_SIDE_TOKENS * Math.max(1, routedUnits);
        return streaming ? Math.max(1, Math.min(parallelism, units)) : 1;
    }
}
