package io.latentflow.engine.model;

import io.latentflow.engine.checkpoint.Checkpoint;
import io.latentflow.engine.checkpoint.ModelConfig;
import io.latentflow.engine.ops.Ops;

/** The dense SwiGLU of the first_k_dense_replace layers (and of layers off moe_layer_freq). */
final class DenseFeedForward implements FeedForward {
    private final SwiGlu mlp;

    private DenseFeedForward(SwiGlu mlp) {
        this.mlp = mlp;
    }

    static DenseFeedForward load(Checkpoint ckpt, Ops ops, ModelConfig c, String prefix) {
        return new DenseFeedForward(SwiGlu.load(ckpt, ops, prefix, c.hiddenSize(), c.intermediateSize()));
    }

    @Override
    public void addTo(Ops ops, float[] xn, float[] h, int rows, Workspace ws) {
        mlp.apply(ops, xn, 0, rows, ws.ffnOut, 0, ws.ffnGate, ws.ffnUp);
        ops.axpy(1f, ws.ffnOut, 0, h, 0, rows * mlp.gate().cols);
    }
}
