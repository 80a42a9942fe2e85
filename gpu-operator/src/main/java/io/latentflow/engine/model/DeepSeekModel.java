package io.latentflow.engine.model;

import io.latentflow.engine.EngineConfig.MlaMode;
import io.latentflow.engine.checkpoint.Checkpoint;
import io.latentflow.engine.checkpoint.ModelConfig;
import io.latentflow.engine.ops.Ops;
import io.latentflow.engine.tensor.Weight;
import java.util.List;

/**
 * The DeepSeek-V2/V3 decoder: embed → per layer MLA attention then dense MLP or MoE → norm →
 * logits. One {@link #forward} runs a step over the new tokens of many sequences at once (prefill
 * chunks and decode tokens side by side), so every weight is read once per step. Not thread-safe:
 * the engine's scheduler is its only caller.
 */
public final class DeepSeekModel {
    private final ModelConfig c;
    private final Ops ops;
    private final Weight embed;          // (vocab, hidden)
    private final LayerWeights[] layers; // (num_hidden_layers); multi-token-prediction layers are not loaded
    private final Weight norm;           // (hidden)
    private final Weight lmHead;         // (vocab, hidden), embed when tied
    private final MlaAttention attention;
    private final Workspace ws;
    private final LayerTimes times = new LayerTimes();

    public DeepSeekModel(ModelConfig c, Checkpoint ckpt, Ops ops) {
        this(c, ckpt, ops, true);
    }

    /** stackInputs false: each layer's q and kv_a projections apart, as for F8 checkpoints (tests). */
    DeepSeekModel(ModelConfig c, Checkpoint ckpt, Ops ops, boolean stackInputs) {
        this.c = c;
        this.ops = ops;
        // a step reads a row or a few: from a copy that stays warm, not the mapped file (see inMemory)
        this.embed = ckpt.matrix("model.embed_tokens.weight", c.vocabSize(), c.hiddenSize()).inMemory();
        this.layers = new LayerWeights[c.numHiddenLayers()];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = new LayerWeights(ckpt, ops, c, i, stackInputs);
        }
        this.norm = LayerWeights.norm(ckpt, "model.norm.weight", c.hiddenSize());
        // tied: the packed copy serves lm_head, the in-memory copy the embedding lookups
        this.lmHead = ops.prepare(c.tieWordEmbeddings() ? embed
                : ckpt.matrix("lm_head.weight", c.vocabSize(), c.hiddenSize()));
        this.attention = new MlaAttention(c);
        this.ws = new Workspace(c, ops.parallelism());
    }

    public ModelConfig config() {
        return c;
    }

    /** Cumulative time of the layers' attention, router and expert phases. */
    public LayerTimes times() {
        return times;
    }

    /**
     * Runs the chunks' tokens through the model, appending them to their sequences' caches.
     *
     * @return logits (rows that asked for them, vocab) in chunk order: all rows of an allLogits chunk,
     *         else its last row. The array is reused by the next step.
     */
    public float[] forward(List<Chunk> chunks, MlaMode mode) {
        int hidden = c.hiddenSize();
        int rows = 0;
        int positions = 0;
        int logitRows = 0;
        int[] starts = new int[chunks.size()];
        for (int ci = 0; ci < chunks.size(); ci++) {
            Chunk ch = chunks.get(ci);
            starts[ci] = ch.seq().length();
            rows += ch.tokens().length;
            positions = Math.max(positions, starts[ci] + ch.tokens().length);
            logitRows += ch.logitRows();
        }
        ws.ensure(rows, positions, logitRows);
        for (Chunk ch : chunks) {
            ch.seq().advance(ch.tokens().length);
        }

        // embed
        int r = 0;
        for (Chunk ch : chunks) {
            for (int token : ch.tokens()) {
                embed.readRow(token, ws.h, r++ * hidden);
            }
        }

        // decoder layers: h += attn(norm(h)); h += mlp(norm(h))
        long attnNanos = 0;
        long mlpNanos = 0;
        ws.routerNanos = 0;
        for (int l = 0; l < layers.length; l++) {
            LayerWeights w = layers[l];
            long t0 = System.nanoTime();
            attention.addTo(ops, w, l, chunks, starts, rows, mode, ws);
            long t1 = System.nanoTime();
            ops.rmsnorm(w.postNorm, (float) c.rmsNormEps(), ws.h, 0, hidden, ws.xn, 0, hidden, rows);
            w.mlp.addTo(ops, ws.xn, ws.h, rows, ws);
            attnNanos += t1 - t0;
            mlpNanos += System.nanoTime() - t1;
        }
        times.add(rows == chunks.size(), attnNanos, ws.routerNanos, mlpNanos - ws.routerNanos);

        // final norm and lm_head, only on rows whose logits are wanted
        int out = 0;
        r = 0;
        for (Chunk ch : chunks) {
            int n = ch.tokens().length;
            int first = ch.allLogits() ? r : r + n - 1;
            int count = ch.logitRows();
            ops.rmsnorm(norm, (float) c.rmsNormEps(), ws.h, first * hidden, hidden, ws.normed, out * hidden, hidden,
                    count);
            out += count;
            r += n;
        }
        ops.matmul(lmHead, ws.normed, 0, hidden, ws.logits, 0, c.vocabSize(), out);
        return ws.logits;
    }
}
