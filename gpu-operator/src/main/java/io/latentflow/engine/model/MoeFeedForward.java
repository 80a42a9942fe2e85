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
    /**
     * Average tokens per routed expert up to which a step runs whole experts side by side without
     * looking at its routing first, so that the shared expert runs while the step routes.
     */
    private static final int SIDE_BY_SIDE_TOKENS = 8;
    /**
     * Above that, whole experts still run side by side if the costliest-first claims keep every
     * thread within this factor of an even share; else each matmul is split across the threads.
     * Whole experts per thread, 32 experts of the same token count, two threads (Zen 3, the two
     * ways alternating in one process, time ratios split ÷ side by side): 16 tokens each 1.15, 10–22
     * 1.26, 32 1.02, 64 1.16, 128 1.14, 256 1.11. Split matmuls hand off three times per expert and
     * leave a slower vCPU's half to wait for; they win only when one expert holds much of the step.
     */
    private static final double SIDE_BY_SIDE_SLACK = 1.1;
    /** {@link Workspace#routed}: the step's routing is running, done, or has thrown. */
    static final int ROUTING = 0;
    static final int ROUTED = 1;
    static final int FAILED = 2;

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
        int hidden = gate.cols;
        int k = router.topK();
        int slots = rows * k;
        // with a few tokens per expert (decode) the step streams weights: the chosen experts and the
        // shared expert run side by side, whole experts per thread, one hand-off per layer instead
        // of three per expert, each thread streaming its own experts' weights without waiting for the
        // other at every matrix. Each thread claims the next expert, costliest first, when it is done
        // with its last: a worker that starts late or streams slower takes fewer (a fixed
        // assignment balanced by cost left one thread waiting: the batch-32 phase 6.29 → 6.05 ms, the
        // batch-1 phase 0.87 → 0.82 ms, both versions in one process). The shared expert needs no
        // routing, so another thread claims it while this one routes (batch 32, four runs of each
        // build alternating: the phase 5.60 → 5.45 ms a layer, 470 → 478 tok/s). So the choice is
        // made before routing, on the average over all the experts. With many tokens per expert
        // (prefill, large batches) the step routes first and runs whole experts side by side too if
        // their costs balance across the threads, else the units in turn, each matmul split.
        int threads = ops.parallelism();
        boolean streaming = threads > 1 && slots <= SIDE_BY_SIDE_TOKENS * experts.length;
        ws.nextUnit.set(0);
        ws.sharedTaken.set(shared == null);
        if (!streaming) {
            route(ops, xn, rows, ws);
            orderUnits(ws);
            if (threads > 1 && balanced(rows, threads, ws)) {
                ops.forEach(threads, part -> claimUnits(ops, xn, rows, part, ws));
            } else {
                claimUnits(ops, xn, rows, 0, ws);
            }
        } else {
            ws.routed = ROUTING;
            ops.forEach(threads, part -> {
                if (part == 0) {
                    try {
                        route(ops, xn, rows, ws);
                        orderUnits(ws);
                        ws.routed = ROUTED;
                    } finally {
                        if (ws.routed != ROUTED) {
                            ws.routed = FAILED; // the other parts stop waiting; forEach rethrows
                        }
                    }
                } else {
                    claimShared(ops, xn, rows, part, ws); // unless part 0 was quicker
                    while (ws.routed == ROUTING) {
                        Thread.onSpinWait();
                    }
                    if (ws.routed == FAILED) {
                        return;
                    }
                }
                claimUnits(ops, xn, rows, part, ws);
            });
        }
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
     * Router logits and top-k per token, then a counting sort of the (token, choice) slots by expert:
     * expert e's slots are expertTokens[start[e] .. start[e + 1]), and its tokens' rows lie at the same
     * positions in gathered.
     */
    private void route(Ops ops, float[] xn, int rows, Workspace ws) {
        long t0 = System.nanoTime();
        int hidden = gate.cols;
        int k = router.topK();
        int slots = rows * k;
        ops.matmul(gate, xn, 0, hidden, ws.routerLogits, 0, gate.rows, rows);
        for (int r = 0; r < rows; r++) {
            router.route(ws.routerLogits, r * gate.rows, ws.expertIdx, ws.expertWeight, r * k);
        }
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
    }

    /**
     * The shared expert if no part has claimed it yet, then the routed experts of ws.unitOrder, each
     * claimed from ws.nextUnit, until none is left.
     */
    private void claimUnits(Ops ops, float[] xn, int rows, int part, Workspace ws) {
        claimShared(ops, xn, rows, part, ws);
        int hidden = gate.cols;
        int[] start = ws.expertStart;
        for (int i; (i = ws.nextUnit.getAndIncrement()) < ws.units; ) {
            int e = ws.unitOrder[i];
            experts[e].apply(ops, ws.gathered, start[e] * hidden, start[e + 1] - start[e],
                    ws.expertOut, start[e] * hidden, ws.partGate[part], ws.partUp[part]);
        }
    }

    /** The shared expert, which needs no routing and is the costliest unit, if no part has it yet. */
    private void claimShared(Ops ops, float[] xn, int rows, int part, Workspace ws) {
        if (ws.sharedTaken.compareAndSet(false, true)) {
            shared.apply(ops, xn, 0, rows, ws.ffnOut, 0, ws.partGate[part], ws.partUp[part]);
        }
    }

    /**
     * Whether whole units, claimed as {@link #claimUnits} claims them (the shared expert, then the
     * routed ones costliest first), balance across the threads. A unit costs its tokens times its width.
     */
    private boolean balanced(int rows, int threads, Workspace ws) {
        long[] costs = new long[ws.units + 1];
        int n = 0;
        if (shared != null) {
            costs[n++] = (long) rows * shared.inter();
        }
        int[] start = ws.expertStart;
        for (int i = 0; i < ws.units; i++) {
            int e = ws.unitOrder[i];
            costs[n++] = (long) (start[e + 1] - start[e]) * experts[e].inter();
        }
        return claimsBalance(costs, n, threads);
    }

    /**
     * Whether units of costs[0 .. n), each claimed in turn by the thread with the least work so far,
     * leave no thread with more than {@link #SIDE_BY_SIDE_SLACK} times an even share.
     */
    static boolean claimsBalance(long[] costs, int n, int threads) {
        long[] load = new long[threads];
        long total = 0;
        for (int i = 0; i < n; i++) {
            int least = 0;
            for (int t = 1; t < threads; t++) {
                if (load[t] < load[least]) {
                    least = t;
                }
            }
            load[least] += costs[i];
            total += costs[i];
        }
        long most = 0;
        for (long l : load) {
            most = Math.max(most, l);
        }
        return most <= SIDE_BY_SIDE_SLACK * total / threads;
    }

    /**
     * Orders the step's routed experts with tokens, most tokens first, into ws.unitOrder[0 ..
     * ws.units): the routed experts all have the same shape, so the one with more tokens costs more.
     */
    private void orderUnits(Workspace ws) {
        int[] start = ws.expertStart;
        int units = 0;
        for (int e = 0; e < experts.length; e++) {
            if (start[e + 1] > start[e]) {
                ws.unitOrder[units++] = e;
            }
        }
        // insertion sort, most tokens first (ties: lower expert first): at most experts units
        for (int i = 1; i < units; i++) {
            int e = ws.unitOrder[i];
            int tokens = start[e + 1] - start[e];
            int j = i - 1;
            while (j >= 0 && start[ws.unitOrder[j] + 1] - start[ws.unitOrder[j]] < tokens) {
                ws.unitOrder[j + 1] = ws.unitOrder[j];
                j--;
            }
            ws.unitOrder[j + 1] = e;
        }
        ws.units = units;
    }
}
