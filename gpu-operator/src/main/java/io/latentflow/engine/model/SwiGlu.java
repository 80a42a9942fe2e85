package io.latentflow.engine.model;

import io.latentflow.engine.checkpoint.Checkpoint;
import io.latentflow.engine.ops.Ops;
import io.latentflow.engine.tensor.Weight;

/** {@code down(silu(gate·x) ⊙ up·x)}: dense MLPs, shared experts and routed experts alike. */
record SwiGlu(Weight gate, Weight up, Weight down) {
    // gate, up: (inter, hidden); down: (hidden, inter)

    static SwiGlu load(Checkpoint ckpt, Ops ops, String prefix, int hidden, int inter) {
        return new SwiGlu(
                ops.prepare(ckpt.matrix(prefix + "gate_proj.weight", inter, hidden)),
                ops.prepare(ckpt.matrix(prefix + "up_proj.weight", inter, hidden)),
                ops.prepare(ckpt.matrix(prefix + "down_proj.weight", hidden, inter)));
    }

    int inter() {
        return gate.rows;
    }

    /**
     * out[outOff + r·hidden ..] = swiglu(x[xOff + r·hidden ..]) for rows token rows; g and u are scratch
     * of at least rows · inter floats.
     */
    void apply(Ops ops, float[] x, int xOff, int rows, float[] out, int outOff, float[] g, float[] u) {
        int inter = inter();
        int hidden = gate.cols;
        ops.matmul(gate, x, xOff, hidden, g, 0, inter, rows);   // (rows, inter)
        ops.matmul(up, x, xOff, hidden, u, 0, inter, rows);     // (rows, inter)
        ops.swiglu(g, u, rows * inter);
        ops.matmul(down, g, 0, inter, out, outOff, hidden, rows);
    }
}
