package io.latentflow.engine.model;

import io.latentflow.engine.ops.Ops;

/** The MLP half of a decoder layer: a dense SwiGLU or a routed mixture of experts. */
interface FeedForward {

    /** {@code h[r] += mlp(xn[r])} for each of {@code rows} token rows of width hidden. */
    void addTo(Ops ops, float[] xn, float[] h, int rows, Workspace ws);
}
