package io.latentflow.engine.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a {@link ModelConfig} as a Hugging Face DeepSeek {@code config.json}, with the same fields as
 * the golden checkpoints, so that generated checkpoints load in transformers as well as here and
 * {@link ModelConfigParser} reads back an equal config.
 */
public final class ModelConfigWriter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelConfigWriter() {
    }

    /** The config as a JSON tree; {@code torchDtype} is e.g. "float32" or "bfloat16". */
    public static ObjectNode toJson(ModelConfig c, String torchDtype) {
        boolean v3 = c.modelType().equals("deepseek_v3");
        ObjectNode o = JSON.createObjectNode();
        o.putArray("architectures").add(v3 ? "DeepseekV3ForCausalLM" : "DeepseekV2ForCausalLM");
        o.put("model_type", c.modelType());
        o.put("vocab_size", c.vocabSize());
        o.put("hidden_size", c.hiddenSize());
        o.put("intermediate_size", c.intermediateSize());
        o.put("moe_intermediate_size", c.moeIntermediateSize());
        o.put("num_hidden_layers", c.numHiddenLayers());
        o.put("num_attention_heads", c.numAttentionHeads());
        o.put("num_key_value_heads", c.numAttentionHeads());
        o.put("n_shared_experts", c.nSharedExperts());
        o.put("n_routed_experts", c.nRoutedExperts());
        o.put("routed_scaling_factor", c.routedScalingFactor());
        o.put("kv_lora_rank", c.kvLoraRank());
        if (c.qLoraRank() > 0) {
            o.put("q_lora_rank", c.qLoraRank());
        } else {
            o.putNull("q_lora_rank");
        }
        o.put("qk_rope_head_dim", c.qkRopeHeadDim());
        o.put("qk_nope_head_dim", c.qkNopeHeadDim());
        o.put("v_head_dim", c.vHeadDim());
        o.put("n_group", c.nGroup());
        o.put("topk_group", c.topkGroup());
        o.put("num_experts_per_tok", c.numExpertsPerTok());
        o.put("first_k_dense_replace", c.firstKDenseReplace());
        o.put("moe_layer_freq", c.moeLayerFreq());
        o.put("norm_topk_prob", c.normTopkProb());
        o.put("scoring_func", c.scoringFunc());
        o.put("topk_method", c.topkMethod());
        o.put("hidden_act", "silu");
        o.put("max_position_embeddings", c.maxPositionEmbeddings());
        o.put("rms_norm_eps", c.rmsNormEps());
        o.put("rope_theta", c.ropeTheta());
        RopeScaling rs = c.ropeScaling();
        if (rs == null) {
            o.putNull("rope_scaling");
        } else {
            ObjectNode r = o.putObject("rope_scaling");
            r.put("type", "yarn");
            r.put("factor", rs.factor());
            r.put("beta_fast", rs.betaFast());
            r.put("beta_slow", rs.betaSlow());
            r.put("mscale", rs.mscale());
            r.put("mscale_all_dim", rs.mscaleAllDim());
            r.put("original_max_position_embeddings", rs.originalMaxPositionEmbeddings());
        }
        if (!c.ropeInterleave()) {
            o.put("rope_interleave", false);
        }
        o.put("attention_bias", false);
        o.put("attention_dropout", 0.0);
        o.put("tie_word_embeddings", c.tieWordEmbeddings());
        putId(o, "bos_token_id", c.bosTokenId());
        putId(o, "eos_token_id", c.eosTokenId());
        o.put("initializer_range", 0.02);
        o.put("use_cache", true);
        o.put("ep_size", 1);
        o.put("torch_dtype", torchDtype);
        return o;
    }

    private static void putId(ObjectNode o, String field, int id) {
        if (id < 0) {
            o.putNull(field);
        } else {
            o.put(field, id);
        }
    }

    /** Writes {@code config.json}-style JSON to {@code file}. */
    public static void write(ModelConfig c, String torchDtype, Path file) {
        try {
            Files.write(file, JSON.writeValueAsBytes(toJson(c, torchDtype)));
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot write: " + e, e);
        }
    }
}
