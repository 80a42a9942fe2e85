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
        Weight gate = ops.prepare(ckpt.matrix(prefix + "gate.weight", c.nRoutedExperts(), h));
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

        // each chosen expert once over all its tokens: its weights are read once per step
        for (int e = 0; e < experts.length; e++) {
            int n = start[e + 1] - start[e];
            if (n == 0) {
                continue;
            }
            experts[e].apply(ops, ws.gathered, start[e] * hidden, n, ws.ffnOut, ws);
            for (int j = 0; j < n; j++) {
                int i = ws.expertTokens[start[e] + j];
                ops.axpy(ws.expertWeight[i], ws.ffnOut, j * hidden, h, (i / k) * hidden, hidden);
            }
        }
        // shared experts see every token
        if (shared != null) {
            shared.apply(ops, xn, 0, rows, ws.ffnOut, ws);
            ops.axpy(1f, ws.ffnOut, 0, h, 0, rows * hidden);
        }
    }
}
