package io.latentflow.engine.checkpoint;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;

/**
 * Reads a Hugging Face DeepSeek-V2/V3 {@code config.json} into a validated {@link ModelConfig}.
 *
 * <p>Uses Jackson's tree model rather than data binding so that every missing field, wrong JSON type
 * and out-of-range value gets its own message naming the file and field, and so that the many fields
 * the engine does not use are ignored. Optional fields take the defaults of the Hugging Face config
 * classes, which differ between V2 and V3 for the router.
 */
public final class ModelConfigParser {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> SCORING = Set.of("softmax", "sigmoid");
    private static final Set<String> TOPK = Set.of("greedy", "group_limited_greedy", "noaux_tc");

    private final Path file;
    private final JsonNode root;

    private ModelConfigParser(Path file, JsonNode root) {
        this.file = file;
        this.root = root;
    }

    /** Parses and validates {@code configJson}; every failure is a {@link CheckpointException} naming it. */
    public static ModelConfig parse(Path configJson) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(configJson));
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw new CheckpointException(configJson + ": malformed JSON" + where + ": " + e.getOriginalMessage(), e);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(configJson + ": no such file (is the model directory right?)", e);
        } catch (IOException e) {
            throw new CheckpointException(configJson + ": cannot read: " + e, e);
        }
        if (root == null || !root.isObject()) {
            throw new CheckpointException(configJson + ": expected a JSON object at the top level");
        }
        return new ModelConfigParser(configJson, root).build();
    }

    private ModelConfig build() {
        String modelType = reqString("model_type");
        boolean v3;
        if (modelType.equals("deepseek_v3")) {
            v3 = true;
        } else if (modelType.equals("deepseek_v2")) {
            v3 = false;
        } else {
            throw fail("field 'model_type' is '" + modelType + "', expected deepseek_v2 or deepseek_v3");
        }
        int vocab = positive("vocab_size", reqInt("vocab_size"));
        int hidden = positive("hidden_size", reqInt("hidden_size"));
        int inter = positive("intermediate_size", reqInt("intermediate_size"));
        int layers = positive("num_hidden_layers", reqInt("num_hidden_layers"));
        int heads = positive("num_attention_heads", reqInt("num_attention_heads"));
        int kvLora = positive("kv_lora_rank", reqInt("kv_lora_rank"));
        int rope = positive("qk_rope_head_dim", reqInt("qk_rope_head_dim"));
        int nope = positive("qk_nope_head_dim", reqInt("qk_nope_head_dim"));
        int vDim = positive("v_head_dim", reqInt("v_head_dim"));
        int maxPos = positive("max_position_embeddings", reqInt("max_position_embeddings"));
        double eps = reqDouble("rms_norm_eps");
        if (rope % 2 != 0) {
            throw fail("field 'qk_rope_head_dim' is " + rope + ", must be even (rope rotates pairs)");
        }
        if (!(eps > 0)) {
            throw fail("field 'rms_norm_eps' is " + eps + ", must be > 0");
        }
        int qLora = optInt("q_lora_rank", 0);
        if (qLora < 0) {
            throw fail("field 'q_lora_rank' is " + qLora + ", must be >= 0 (or null for a plain q_proj)");
        }

        int routed = optInt("n_routed_experts", 0);
        if (routed < 0) {
            throw fail("field 'n_routed_experts' is " + routed + ", must be >= 0");
        }
        boolean moe = routed > 0;
        int moeInter = moe ? positive("moe_intermediate_size", reqInt("moe_intermediate_size"))
                : optInt("moe_intermediate_size", 0);
        int perTok = moe ? positive("num_experts_per_tok", reqInt("num_experts_per_tok"))
                : optInt("num_experts_per_tok", 0);
        int shared = optInt("n_shared_experts", 0);
        if (shared < 0) {
            throw fail("field 'n_shared_experts' is " + shared + ", must be >= 0");
        }
        double scaling = optDouble("routed_scaling_factor", 1.0);
        if (!(scaling > 0)) {
            throw fail("field 'routed_scaling_factor' is " + scaling + ", must be > 0");
        }
        int nGroup = positive("n_group", optInt("n_group", 1));
        int topkGroup = positive("topk_group", optInt("topk_group", 1));
        int firstDense = optInt("first_k_dense_replace", 0);
        if (firstDense < 0) {
            throw fail("field 'first_k_dense_replace' is " + firstDense + ", must be >= 0");
        }
        int freq = optInt("moe_layer_freq", 1);
        if (freq < 1) {
            throw fail("field 'moe_layer_freq' is " + freq + ", must be >= 1");
        }
        boolean normTopk = optBool("norm_topk_prob", false);
        String scoring = optString("scoring_func", v3 ? "sigmoid" : "softmax");
        String topk = optString("topk_method", v3 ? "noaux_tc" : "greedy");
        if (!SCORING.contains(scoring)) {
            throw fail("field 'scoring_func' is '" + scoring + "', expected one of softmax, sigmoid");
        }
        if (!TOPK.contains(topk)) {
            throw fail("field 'topk_method' is '" + topk + "', expected one of greedy, group_limited_greedy, noaux_tc");
        }
        if (moe) {
            if (perTok > routed) {
                throw fail("field 'num_experts_per_tok' is " + perTok + ", more than n_routed_experts " + routed);
            }
            if (routed % nGroup != 0) {
                throw fail("field 'n_routed_experts' is " + routed + ", not divisible by n_group " + nGroup);
            }
        }
        if (topkGroup > nGroup) {
            throw fail("field 'topk_group' is " + topkGroup + ", more than n_group " + nGroup);
        }
        double theta = optDouble("rope_theta", 10000.0);
        if (!(theta > 0)) {
            throw fail("field 'rope_theta' is " + theta + ", must be > 0");
        }
        RopeScaling scalingCfg = ropeScaling(maxPos);
        boolean interleave = optBool("rope_interleave", true);
        boolean tie = optBool("tie_word_embeddings", false);
        int bos = tokenId("bos_token_id");
        int eos = tokenId("eos_token_id");
        return new ModelConfig(modelType, vocab, hidden, inter, moeInter, layers, heads, shared, routed, scaling,
                kvLora, qLora, rope, nope, vDim, nGroup, topkGroup, perTok, firstDense, freq, normTopk, scoring,
                topk, maxPos, eps, theta, scalingCfg, interleave, tie, bos, eos);
    }

    /** Null or absent means plain rope; only YaRN is implemented, so any other type is refused by name. */
    private RopeScaling ropeScaling(int maxPos) {
        JsonNode rs = root.get("rope_scaling");
        if (rs == null || rs.isNull()) {
            return null;
        }
        if (!rs.isObject()) {
            throw fail("field 'rope_scaling' must be an object or null, got " + describe(rs));
        }
        JsonNode type = rs.has("type") ? rs.get("type") : rs.get("rope_type");
        if (type == null || type.isNull()) {
            throw fail("missing required field 'rope_scaling.type'");
        }
        if (!type.isTextual()) {
            throw fail("field 'rope_scaling.type' must be a string, got " + describe(type));
        }
        if (!type.asText().equals("yarn")) {
            throw fail("field 'rope_scaling.type' is '" + type.asText() + "', which is not supported (only yarn)");
        }
        ModelConfigParser sub = new ModelConfigParser(file, rs);
        double factor = sub.reqDouble("factor", "rope_scaling.factor");
        if (!(factor > 0)) {
            throw fail("field 'rope_scaling.factor' is " + factor + ", must be > 0");
        }
        int orig = sub.optInt("original_max_position_embeddings", "rope_scaling.original_max_position_embeddings", maxPos);
        if (orig <= 0) {
            throw fail("field 'rope_scaling.original_max_position_embeddings' is " + orig + ", must be > 0");
        }
        return new RopeScaling(factor, orig,
                sub.optDouble("beta_fast", "rope_scaling.beta_fast", 32),
                sub.optDouble("beta_slow", "rope_scaling.beta_slow", 1),
                sub.optDouble("mscale", "rope_scaling.mscale", 1),
                sub.optDouble("mscale_all_dim", "rope_scaling.mscale_all_dim", 0));
    }

    /** HF allows null, one id, or a list of ids; the engine keeps the first (-1 = none). */
    private int tokenId(String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return -1;
        }
        if (n.isArray()) {
            if (n.isEmpty()) {
                return -1;
            }
            return toInt(field + "[0]", n.get(0));
        }
        return toInt(field, n);
    }

    private CheckpointException fail(String what) {
        return new CheckpointException(file + ": " + what);
    }

    private int positive(String field, int v) {
        if (v <= 0) {
            throw fail("field '" + field + "' is " + v + ", must be > 0");
        }
        return v;
    }

    private JsonNode required(String key, String field) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            throw fail("missing required field '" + field + "'");
        }
        return n;
    }

    private int reqInt(String field) {
        return toInt(field, required(field, field));
    }

    private double reqDouble(String field) {
        return reqDouble(field, field);
    }

    private double reqDouble(String key, String field) {
        return toDouble(field, required(key, field));
    }

    private String reqString(String field) {
        JsonNode n = required(field, field);
        if (!n.isTextual()) {
            throw fail("field '" + field + "' must be a string, got " + describe(n));
        }
        return n.asText();
    }

    private int optInt(String field, int dflt) {
        return optInt(field, field, dflt);
    }

    private int optInt(String key, String field, int dflt) {
        JsonNode n = root.get(key);
        return n == null || n.isNull() ? dflt : toInt(field, n);
    }

    private double optDouble(String field, double dflt) {
        return optDouble(field, field, dflt);
    }

    private double optDouble(String key, String field, double dflt) {
        JsonNode n = root.get(key);
        return n == null || n.isNull() ? dflt : toDouble(field, n);
    }

    private boolean optBool(String field, boolean dflt) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isBoolean()) {
            throw fail("field '" + field + "' must be a boolean, got " + describe(n));
        }
        return n.booleanValue();
    }

    private String optString(String field, String dflt) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isTextual()) {
            throw fail("field '" + field + "' must be a string, got " + describe(n));
        }
        return n.asText();
    }

    /** Integers only, though a float with no fraction (e.g. 4096.0 from some exporters) is accepted. */
    private int toInt(String field, JsonNode n) {
        if (n.isIntegralNumber() && n.canConvertToInt()) {
            return n.intValue();
        }
        if (n.isFloatingPointNumber() && n.doubleValue() == Math.rint(n.doubleValue())
                && Math.abs(n.doubleValue()) <= Integer.MAX_VALUE) {
            return (int) n.doubleValue();
        }
        throw fail("field '" + field + "' must be an integer, got " + describe(n));
    }

    private double toDouble(String field, JsonNode n) {
        if (!n.isNumber()) {
            throw fail("field '" + field + "' must be a number, got " + describe(n));
        }
        return n.doubleValue();
    }

    private static String describe(JsonNode n) {
        String kind = n.getNodeType().name().toLowerCase();
        String text = n.toString();
        return kind + " " + (text.length() > 40 ? text.substring(0, 40) + "..." : text);
    }
}
