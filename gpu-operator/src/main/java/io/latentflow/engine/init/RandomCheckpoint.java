package io.latentflow.engine.init;

import io.latentflow.engine.checkpoint.CheckpointException;
import io.latentflow.engine.checkpoint.ModelConfig;
import io.latentflow.engine.checkpoint.ModelConfigWriter;
import io.latentflow.engine.checkpoint.SafeTensorsWriter;
import io.latentflow.engine.tensor.DType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes random-weight checkpoints (config.json + model.safetensors) in Hugging Face DeepSeek layout, so
 * the engine can be tested and benchmarked at realistic shapes without downloading a model. Tensor names
 * and (out, in) shapes match the golden checkpoints; values are deterministic per seed.
 */
public final class RandomCheckpoint {

    public enum Preset { TINY, SMALL, MEDIUM }

    public enum Variant { V2, V3 }

    private RandomCheckpoint() {
    }

    /** Writes config.json and model.safetensors of the preset into dir (created if needed). */
    public static ModelConfig write(Preset preset, Variant variant, long seed, Path dir) {
        ModelConfig cfg = config(preset, variant);
        DType dtype = dtype(preset);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CheckpointException(dir + ": cannot create directory: " + e, e);
        }
        ModelConfigWriter.write(cfg, dtype == DType.F32 ? "float32" : "bfloat16", dir.resolve("config.json"));
        try (SafeTensorsWriter w = new SafeTensorsWriter(dir.resolve("model.safetensors"))) {
            List<TensorSpec> specs = tensorSpecs(cfg);
            for (int i = 0; i < specs.size(); i++) {
                TensorSpec s = specs.get(i);
                int index = i;
                w.add(s.name(), dtype, s.shape(), buf -> {
                    switch (s.init()) {
                        case ONES -> GaussianFill.constant(buf, dtype, s.numel(), 1f);
                        case BIAS -> GaussianFill.fill(buf, dtype, s.numel(), 0.01, seed, index);
                        default -> GaussianFill.fill(buf, dtype, s.numel(), 0.02, seed, index);
                    }
                });
            }
        }
        return cfg;
    }

    /** The config of a preset, without writing anything. */
    public static ModelConfig config(Preset preset, Variant variant) {
        return Presets.config(preset, variant);
    }

    /** Storage dtype of a preset: F32 for TINY (exact tests), BF16 for the benchmark sizes. */
    public static DType dtype(Preset preset) {
        return preset == Preset.TINY ? DType.F32 : DType.BF16;
    }

    /** Every tensor a Hugging Face DeepSeek checkpoint of this config has, in file order. */
    public static List<TensorSpec> tensorSpecs(ModelConfig c) {
        List<TensorSpec> out = new ArrayList<>();
        int h = c.hiddenSize();
        int heads = c.numAttentionHeads();
        normal(out, "model.embed_tokens.weight", c.vocabSize(), h);
        for (int l = 0; l < c.numHiddenLayers(); l++) {
            String p = "model.layers." + l + ".";
            String a = p + "self_attn.";
            if (c.qLoraRank() > 0) {
                normal(out, a + "q_a_proj.weight", c.qLoraRank(), h);
                ones(out, a + "q_a_layernorm.weight", c.qLoraRank());
                normal(out, a + "q_b_proj.weight", heads * c.qkHeadDim(), c.qLoraRank());
            } else {
                normal(out, a + "q_proj.weight", heads * c.qkHeadDim(), h);
            }
            normal(out, a + "kv_a_proj_with_mqa.weight", c.kvLoraRank() + c.qkRopeHeadDim(), h);
            ones(out, a + "kv_a_layernorm.weight", c.kvLoraRank());
            normal(out, a + "kv_b_proj.weight", heads * (c.qkNopeHeadDim() + c.vHeadDim()), c.kvLoraRank());
            normal(out, a + "o_proj.weight", h, heads * c.vHeadDim());
            String m = p + "mlp.";
            if (c.isMoeLayer(l)) {
                normal(out, m + "gate.weight", c.nRoutedExperts(), h);
                if (c.topkMethod().equals("noaux_tc")) {
                    out.add(new TensorSpec(m + "gate.e_score_correction_bias", new long[] {c.nRoutedExperts()},
                            TensorSpec.Init.BIAS));
                }
                for (int e = 0; e < c.nRoutedExperts(); e++) {
                    swiglu(out, m + "experts." + e + ".", h, c.moeIntermediateSize());
                }
                if (c.nSharedExperts() > 0) {
                    swiglu(out, m + "shared_experts.", h, c.moeIntermediateSize() * c.nSharedExperts());
                }
            } else {
                swiglu(out, m, h, c.intermediateSize());
            }
            ones(out, p + "input_layernorm.weight", h);
            ones(out, p + "post_attention_layernorm.weight", h);
        }
        ones(out, "model.norm.weight", h);
        if (!c.tieWordEmbeddings()) {
            normal(out, "lm_head.weight", c.vocabSize(), h);
        }
        return out;
    }

    private static void swiglu(List<TensorSpec> out, String prefix, int hidden, int width) {
        normal(out, prefix + "gate_proj.weight", width, hidden);
        normal(out, prefix + "up_proj.weight", width, hidden);
        normal(out, prefix + "down_proj.weight", hidden, width);
    }

    private static void normal(List<TensorSpec> out, String name, long rows, long cols) {
        out.add(new TensorSpec(name, new long[] {rows, cols}, TensorSpec.Init.NORMAL));
    }

    private static void ones(List<TensorSpec> out, String name, long n) {
        out.add(new TensorSpec(name, new long[] {n}, TensorSpec.Init.ONES));
    }

    /**
     * A complete random model: {@link #write} plus a byte-level BPE tokenizer.json whose ids fit the
     * model's vocabulary, with BOS and EOS where the config puts them.
     */
    public static ModelConfig writeWithTokenizer(Preset preset, Variant variant, long seed, Path dir) {
        ModelConfig c = write(preset, variant, seed, dir);
        io.latentflow.engine.tokenizer.TokenizerFiles.writeByteLevelBpe(dir, c.vocabSize(), c.bosTokenId(),
                c.eosTokenId());
        return c;
    }
}
