package io.latentflow.engine.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;

/** Minimal parser, replaced by the validated one. */
public final class ModelConfigParser {
    public static ModelConfig parse(Path file) {
        try {
            JsonNode j = new ObjectMapper().readTree(file.toFile());
            JsonNode rs = j.get("rope_scaling");
            RopeScaling y = rs == null || rs.isNull() ? null : new RopeScaling(rs.get("factor").asDouble(),
                    rs.get("original_max_position_embeddings").asInt(), rs.get("beta_fast").asDouble(),
                    rs.get("beta_slow").asDouble(), rs.get("mscale").asDouble(), rs.get("mscale_all_dim").asDouble());
            return new ModelConfig(j.get("model_type").asText(), j.get("vocab_size").asInt(),
                    j.get("hidden_size").asInt(), j.get("intermediate_size").asInt(),
                    j.get("moe_intermediate_size").asInt(), j.get("num_hidden_layers").asInt(),
                    j.get("num_attention_heads").asInt(), j.get("n_shared_experts").asInt(),
                    j.get("n_routed_experts").asInt(), j.get("routed_scaling_factor").asDouble(),
                    j.get("kv_lora_rank").asInt(), j.get("q_lora_rank").asInt(0), j.get("qk_rope_head_dim").asInt(),
                    j.get("qk_nope_head_dim").asInt(), j.get("v_head_dim").asInt(), j.get("n_group").asInt(),
                    j.get("topk_group").asInt(), j.get("num_experts_per_tok").asInt(),
                    j.get("first_k_dense_replace").asInt(), j.get("moe_layer_freq").asInt(),
                    j.get("norm_topk_prob").asBoolean(), j.get("scoring_func").asText(), j.get("topk_method").asText(),
                    j.get("max_position_embeddings").asInt(), j.get("rms_norm_eps").asDouble(),
                    j.get("rope_theta").asDouble(), y, true, j.get("tie_word_embeddings").asBoolean(),
                    j.get("bos_token_id").asInt(), j.get("eos_token_id").asInt());
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }
}
