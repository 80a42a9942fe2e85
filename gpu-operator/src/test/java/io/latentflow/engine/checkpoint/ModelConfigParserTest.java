package io.latentflow.engine.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelConfigParserTest {
    static final Path GOLDEN = Path.of("/work/shared/golden");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void goldenTinyV3() {
        ModelConfig c = ModelConfigParser.parse(GOLDEN.resolve("tiny-v3/config.json"));
        assertEquals("deepseek_v3", c.modelType());
        assertEquals(256, c.vocabSize());
        assertEquals(64, c.hiddenSize());
        assertEquals(48, c.qLoraRank());
        assertEquals(32, c.kvLoraRank());
        assertEquals(24, c.qkHeadDim());
        assertEquals(8, c.nRoutedExperts());
        assertEquals(1, c.nSharedExperts());
        assertEquals(2, c.nGroup());
        assertEquals(1, c.topkGroup());
        assertEquals(2.5, c.routedScalingFactor());
        assertTrue(c.normTopkProb());
        assertEquals("sigmoid", c.scoringFunc());
        assertEquals("noaux_tc", c.topkMethod());
        assertEquals(new RopeScaling(4.0, 128, 32, 1, 1.0, 1.0), c.ropeScaling());
        assertTrue(c.ropeInterleave());
        assertEquals(0, c.bosTokenId());
        assertEquals(1, c.eosTokenId());
        assertFalse(c.isMoeLayer(0));
        assertTrue(c.isMoeLayer(1));
    }

    @Test
    void goldenTinyV2Lite() {
        ModelConfig c = ModelConfigParser.parse(GOLDEN.resolve("tiny-v2-lite/config.json"));
        assertEquals("deepseek_v2", c.modelType());
        assertEquals(0, c.qLoraRank());
        assertEquals(2, c.nSharedExperts());
        assertEquals(3, c.numExpertsPerTok());
        assertEquals("softmax", c.scoringFunc());
        assertEquals("greedy", c.topkMethod());
        assertNull(c.ropeScaling());
        assertEquals(1e-6, c.rmsNormEps());
    }

    @Test
    void goldenTinyV2Grouped() {
        ModelConfig c = ModelConfigParser.parse(GOLDEN.resolve("tiny-v2-grouped/config.json"));
        assertEquals(4, c.numHiddenLayers());
        assertEquals(2, c.moeLayerFreq());
        assertEquals("group_limited_greedy", c.topkMethod());
        assertEquals(0.707, c.ropeScaling().mscale());
        assertEquals(0.707, c.ropeScaling().mscaleAllDim());
        assertFalse(c.isMoeLayer(1));
        assertTrue(c.isMoeLayer(2));
        assertFalse(c.isMoeLayer(3));
    }

    @Test
    void writerRoundTripsGoldenConfigs() throws Exception {
        for (String d : new String[] {"tiny-v3", "tiny-v2-lite", "tiny-v2-grouped"}) {
            ModelConfig c = ModelConfigParser.parse(GOLDEN.resolve(d + "/config.json"));
            Path out = tmp.resolve(d + ".json");
            ModelConfigWriter.write(c, "float32", out);
            assertEquals(c, ModelConfigParser.parse(out), d);
        }
    }

    @Test
    void defaultsV3AndTokenIdForms() throws Exception {
        ModelConfig c = parseEdited(o -> {
            for (String f : new String[] {"scoring_func", "topk_method", "n_group", "topk_group", "rope_theta",
                    "n_shared_experts", "routed_scaling_factor", "norm_topk_prob", "first_k_dense_replace",
                    "moe_layer_freq", "q_lora_rank", "rope_scaling", "tie_word_embeddings", "bos_token_id"}) {
                o.remove(f);
            }
            o.putArray("eos_token_id").add(7).add(9);
            o.put("n_group", 1);
        });
        assertEquals("sigmoid", c.scoringFunc());
        assertEquals("noaux_tc", c.topkMethod());
        assertEquals(10000.0, c.ropeTheta());
        assertEquals(0, c.nSharedExperts());
        assertEquals(1.0, c.routedScalingFactor());
        assertEquals(0, c.qLoraRank());
        assertNull(c.ropeScaling());
        assertEquals(-1, c.bosTokenId());
        assertEquals(7, c.eosTokenId());
        ModelConfig v2 = parseEdited(o -> {
            o.put("model_type", "deepseek_v2");
            o.remove("scoring_func");
            o.remove("topk_method");
            o.put("rope_scaling", (String) null);
            o.putObject("rope_scaling").put("rope_type", "yarn").put("factor", 2.0);
        });
        assertEquals("softmax", v2.scoringFunc());
        assertEquals("greedy", v2.topkMethod());
        assertEquals(new RopeScaling(2.0, 512, 32, 1, 1, 0), v2.ropeScaling());
    }

    @Test
    void noMoeNeedsNoMoeFields() throws Exception {
        ModelConfig c = parseEdited(o -> {
            o.putNull("n_routed_experts");
            o.remove("moe_intermediate_size");
            o.remove("num_experts_per_tok");
        });
        assertEquals(0, c.nRoutedExperts());
        assertFalse(c.isMoeLayer(1));
    }

    @Test
    void missingRequiredFields() throws Exception {
        for (String f : new String[] {"vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers",
                "num_attention_heads", "kv_lora_rank", "qk_rope_head_dim", "qk_nope_head_dim", "v_head_dim",
                "max_position_embeddings", "rms_norm_eps", "moe_intermediate_size", "num_experts_per_tok",
                "model_type"}) {
            fails(o -> o.remove(f), "missing required field '" + f + "'");
        }
        fails(o -> o.putNull("hidden_size"), "missing required field 'hidden_size'");
        fails(o -> o.putObject("rope_scaling").put("type", "yarn"), "missing required field 'rope_scaling.factor'");
    }

    @Test
    void wrongTypes() throws Exception {
        fails(o -> o.put("hidden_size", "64"), "'hidden_size' must be an integer");
        fails(o -> o.put("vocab_size", 3.5), "'vocab_size' must be an integer");
        fails(o -> o.put("rms_norm_eps", "small"), "'rms_norm_eps' must be a number");
        fails(o -> o.put("norm_topk_prob", "yes"), "'norm_topk_prob' must be a boolean");
        fails(o -> o.put("scoring_func", 3), "'scoring_func' must be a string");
        fails(o -> o.put("rope_scaling", "yarn"), "'rope_scaling' must be an object");
        fails(o -> o.put("bos_token_id", "<s>"), "'bos_token_id' must be an integer");
        fails(o -> o.put("q_lora_rank", 1e12), "'q_lora_rank' must be an integer");
    }

    @Test
    void invalidValues() throws Exception {
        fails(o -> o.put("model_type", "llama"), "'model_type' is 'llama'");
        fails(o -> o.put("hidden_size", 0), "'hidden_size' is 0");
        fails(o -> o.put("num_attention_heads", -4), "'num_attention_heads' is -4");
        fails(o -> o.put("qk_rope_head_dim", 7), "'qk_rope_head_dim' is 7");
        fails(o -> o.put("num_experts_per_tok", 9), "'num_experts_per_tok' is 9");
        fails(o -> o.put("n_group", 3), "'n_routed_experts' is 8, not divisible by n_group 3");
        fails(o -> o.put("topk_group", 3), "'topk_group' is 3");
        fails(o -> o.put("scoring_func", "relu"), "'scoring_func' is 'relu'");
        fails(o -> o.put("topk_method", "random"), "'topk_method' is 'random'");
        fails(o -> o.put("rms_norm_eps", 0.0), "'rms_norm_eps' is 0.0");
        fails(o -> o.put("rope_theta", -1.0), "'rope_theta' is -1.0");
        fails(o -> o.put("moe_layer_freq", 0), "'moe_layer_freq' is 0");
        fails(o -> o.putObject("rope_scaling").put("type", "linear").put("factor", 2.0),
                "'rope_scaling.type' is 'linear'");
        fails(o -> o.putObject("rope_scaling").put("rope_type", "dynamic").put("factor", 2.0),
                "'rope_scaling.type' is 'dynamic'");
    }

    @Test
    void malformedJson() throws Exception {
        Path f = tmp.resolve("config.json");
        Files.writeString(f, "{\n  \"hidden_size\": 64,\n  \"vocab_size\": ,\n}");
        CheckpointException e = assertThrows(CheckpointException.class, () -> ModelConfigParser.parse(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("malformed JSON at line 3"), e.getMessage());
        Files.writeString(f, "[1, 2]");
        e = assertThrows(CheckpointException.class, () -> ModelConfigParser.parse(f));
        assertTrue(e.getMessage().contains("JSON object"), e.getMessage());
        Path missing = tmp.resolve("nope/config.json");
        e = assertThrows(CheckpointException.class, () -> ModelConfigParser.parse(missing));
        assertTrue(e.getMessage().startsWith(missing.toString()), e.getMessage());
    }

    private ModelConfig parseEdited(Consumer<ObjectNode> edit) throws Exception {
        ObjectNode o = (ObjectNode) JSON.readTree(GOLDEN.resolve("tiny-v3/config.json").toFile());
        edit.accept(o);
        Path f = Files.createTempFile(tmp, "config", ".json");
        JSON.writeValue(f.toFile(), o);
        return ModelConfigParser.parse(f);
    }

    private void fails(Consumer<ObjectNode> edit, String expected) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> parseEdited(edit), expected);
        assertTrue(e.getMessage().contains(expected), () -> "'" + e.getMessage() + "' lacks '" + expected + "'");
        assertTrue(e.getMessage().contains(".json: "), e.getMessage());
    }
}
