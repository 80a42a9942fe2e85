package io.latentflow.engine.model;

import io.latentflow.engine.checkpoint.Checkpoint;
import io.latentflow.engine.checkpoint.ModelConfig;
import io.latentflow.engine.ops.Ops;
import io.latentflow.engine.tensor.DType;
import io.latentflow.engine.tensor.Weight;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One decoder layer's weights, views over the mapped checkpoint plus the absorbed MLA key weight. The
 * big matrices go through {@link Ops#prepare} once here (packed panels for the Vector backend).
 */
final class LayerWeights {
    final Weight inputNorm;       // (hidden)
    final Weight qProj;           // (heads·qk, hidden), null when q_lora_rank > 0 or in inProj
    final Weight qA;              // (q_lora, hidden), null when in inProj
    final Weight qANorm;          // (q_lora)
    final Weight qB;              // (heads·qk, q_lora)
    final Weight kvA;             // (kv_lora + rope, hidden), null when in inProj
    /**
     * (qIn + kv_lora + rope, hidden): the query's input projection (q_a_proj, or q_proj without
     * q_lora) stacked on kv_a_proj_with_mqa, prepared instead of the two, which read the same normed
     * input; null for F8 checkpoints, whose block scales do not stack, which keep them apart.
     */
    final Weight inProj;
    final Weight kvANorm;         // (kv_lora)
    final Weight kvB;             // (heads·(nope + v), kv_lora): per head nope key rows, then value rows
    final Weight absorbedKeyT;    // (heads·kv_lora, nope): per head W_UKᵀ, folds the key up-projection into q
    final Weight[] absorbedKeyTHead; // (heads) of (kv_lora, nope): absorbedKeyT per head, prepared
    final Weight[] keyUpHead;     // (heads) of (nope, kv_lora): W_UK[h], prepared
    final Weight[] valueUpHead;   // (heads) of (v, kv_lora): W_UV[h], prepared
    final Weight oProj;           // (hidden, heads·v)
    final Weight postNorm;        // (hidden)
    final FeedForward mlp;

    /**
     * An RMSNorm weight, copied out of the mapped file: every rmsnorm call reads it whole, and on the
     * shared VM the file's pages, read once a step, made that 3.5-9 µs a call at batch 1 (17 calls a
     * step), against 1.7-3.8 for the copy (see {@link Weight#inMemory}).
     */
    static Weight norm(Checkpoint ckpt, String name, int n) {
        return ckpt.vector(name, n).inMemory();
    }

    LayerWeights(Checkpoint ckpt, Ops ops, ModelConfig c, int layer, boolean stackInputs) {
        String p = "model.layers." + layer + ".";
        String a = p + "self_attn.";
        int h = c.hiddenSize();
        int heads = c.numAttentionHeads();
        inputNorm = norm(ckpt, p + "input_layernorm.weight", h);
        postNorm = norm(ckpt, p + "post_attention_layernorm.weight", h);
        String qInName = c.qLoraRank() == 0 ? "q_proj.weight" : "q_a_proj.weight";
        Weight qIn = ckpt.matrix(a + qInName, c.queryInputWidth(), h);
        Weight kvAView = ckpt.matrix(a + "kv_a_proj_with_mqa.weight", c.latentCacheWidth(), h);
        // one matmul instead of two at every step: batch-32 attention 2-14% shorter (alternating
        // steps in one process), mostly one hand-off to the other thread fewer. The stacked copy
        // stays beside the packed panels (1.4 MB a layer on small)
        boolean stack = stackInputs && qIn.dtype == kvAView.dtype && qIn.scaleInv() == null && kvAView.scaleInv() == null;
        inProj = stack ? ops.prepare(Weight.stackRows(qIn.name + " + " + kvAView.name, qIn, kvAView)) : null;
        kvA = stack ? null : ops.prepare(kvAView);
        if (c.qLoraRank() == 0) {
            qProj = stack ? null : ops.prepare(qIn);
            qA = qANorm = qB = null;
        } else {
            qProj = null;
            qA = stack ? null : ops.prepare(qIn);
            qANorm = norm(ckpt, a + "q_a_layernorm.weight", c.qLoraRank());
            qB = ops.prepare(ckpt.matrix(a + "q_b_proj.weight", heads * c.qkHeadDim(), c.qLoraRank()));
        }
        kvANorm = norm(ckpt, a + "kv_a_layernorm.weight", c.kvLoraRank());
        kvB = ckpt.matrix(a + "kv_b_proj.weight", heads * (c.qkNopeHeadDim() + c.vHeadDim()), c.kvLoraRank());
        oProj = ops.prepare(ckpt.matrix(a + "o_proj.weight", h, heads * c.vHeadDim()));
        absorbedKeyT = transposeKeys(kvB, c);
        // per-head slices prepared once, so attention's small matmuls get packed panels too
        absorbedKeyTHead = new Weight[heads];
        keyUpHead = new Weight[heads];
        valueUpHead = new Weight[heads];
        for (int hd = 0; hd < heads; hd++) {
            absorbedKeyTHead[hd] = ops.prepare(absorbedKeyT.rows(hd * c.kvLoraRank(), c.kvLoraRank()));
            keyUpHead[hd] = ops.prepare(keyUp(hd, c));
            valueUpHead[hd] = ops.prepare(valueUp(hd, c));
        }
        mlp = c.isMoeLayer(layer) ? MoeFeedForward.load(ckpt, ops, c, p + "mlp.")
                : DenseFeedForward.load(ckpt, ops, c, p + "mlp.");
    }

    /**
     * Per head h: W_UK[h] = kvB rows [h·(nope+v), +nope), shape (nope, kv_lora); stored transposed.
     * A BF16 kvB stays BF16 (a transpose changes no value, and decode reads half the bytes); other
     * dtypes are decoded to float32.
     */
    private static Weight transposeKeys(Weight kvB, ModelConfig c) {
        int nope = c.qkNopeHeadDim();
        int kvl = c.kvLoraRank();
        int heads = c.numAttentionHeads();
        String name = kvB.name + " (absorbed keys, transposed)";
        if (kvB.dtype == DType.BF16) {
            ByteBuffer src = kvB.bytes();
            ByteBuffer t = ByteBuffer.allocateDirect(heads * kvl * nope * 2).order(ByteOrder.LITTLE_ENDIAN);
            for (int hd = 0; hd < heads; hd++) {
                for (int d = 0; d < nope; d++) {
                    int row = hd * (nope + c.vHeadDim()) + d;
                    for (int k = 0; k < kvl; k++) {
                        t.putShort(((hd * kvl + k) * nope + d) * 2, src.getShort((row * kvl + k) * 2));
                    }
                }
            }
            return new Weight(name, DType.BF16, heads * kvl, nope, t, null);
        }
        float[] t = new float[heads * kvl * nope];
        float[] row = new float[kvl];
        for (int hd = 0; hd < heads; hd++) {
            for (int d = 0; d < nope; d++) {
                kvB.readRow(hd * (nope + c.vHeadDim()) + d, row, 0);
                for (int k = 0; k < kvl; k++) {
                    t[(hd * kvl + k) * nope + d] = row[k];
                }
            }
        }
        return Weight.ofFloats(name, heads * kvl, nope, t);
    }

    /** W_UK[h]: the nope key rows of head h, (nope, kv_lora). */
    Weight keyUp(int head, ModelConfig c) {
        return kvB.rows(head * (c.qkNopeHeadDim() + c.vHeadDim()), c.qkNopeHeadDim());
    }

    /** W_UV[h]: the value rows of head h, (v, kv_lora). */
    Weight valueUp(int head, ModelConfig c) {
        return kvB.rows(head * (c.qkNopeHeadDim() + c.vHeadDim()) + c.qkNopeHeadDim(), c.vHeadDim());
    }
}
