package io.latentflow.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands against the real engine, random checkpoints and tokenizer files: these fail until those
 * land (the placeholders throw). Golden models come from shared/golden; tests that need them are skipped
 * when it is absent.
 */
class CliEngineTest {

    static Path golden;

    @TempDir
    Path tmp;

    @BeforeAll
    static void findGolden() {
        golden = CliRun.goldenDir();
    }

    private static Path goldenModel(String name) {
        Assumptions.assumeTrue(golden != null, "shared/golden not found (set -Dlatentflow.golden=DIR)");
        return golden.resolve(name);
    }

    private static CliRun ok(String... args) {
        CliRun r = CliRun.of(args);
        assertEquals(0, r.exitCode(), r.toString());
        return r;
    }

    private static List<String> keys(JsonNode n) {
        List<String> k = new ArrayList<>();
        n.fieldNames().forEachRemaining(k::add);
        return k;
    }

    private static int[] ints(JsonNode array) {
        int[] r = new int[array.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = array.get(i).asInt();
        }
        return r;
    }

    private static String csv(int[] ids) {
        return java.util.Arrays.stream(ids).mapToObj(String::valueOf).collect(Collectors.joining(","));
    }

    @Test
    void infoOfGoldenTinyV3() throws Exception {
        JsonNode j = ok("model", "info", "--model", goldenModel("tiny-v3").toString()).json();
        assertEquals(List.of("model_type", "total_parameters", "active_parameters_per_token", "layers", "moe_layers",
                "routed_experts", "shared_experts", "experts_per_token", "kv_cache_bytes_per_token", "vocab_size",
                "hidden_size", "max_position_embeddings"), keys(j));
        assertEquals("deepseek_v3", j.get("model_type").asText());
        assertEquals(256, j.get("vocab_size").asInt());
        assertEquals(3, j.get("layers").asInt());
        assertEquals(2, j.get("moe_layers").asInt());
        assertTrue(j.get("active_parameters_per_token").asLong() < j.get("total_parameters").asLong());
    }

    @Test
    void logitsAndGreedyMatchGolden() throws Exception {
        Path model = goldenModel("tiny-v3");
        JsonNode g = new ObjectMapper().readTree(model.resolve("golden.json").toFile());
        for (Iterator<JsonNode> it = g.get("cases").elements(); it.hasNext(); ) {
            JsonNode c = it.next();
            int[] prompt = ints(c.get("tokens"));
            for (String backend : new String[] {"scalar", "vector"}) {
                JsonNode l = ok("model", "logits", "--model", model.toString(), "--tokens", csv(prompt),
                        "--backend", backend).json();
                assertEquals(List.of("tokens", "logits"), keys(l));
                assertArrayEquals(prompt, ints(l.get("tokens")));
                JsonNode expected = c.get("logits").get(prompt.length - 1);
                assertEquals(expected.size(), l.get("logits").size());
                for (int i = 0; i < expected.size(); i++) {
                    assertEquals(expected.get(i).asDouble(), l.get("logits").get(i).asDouble(), 1e-3,
                            backend + " logit " + i);
                }
            }
            int[] greedy = ints(c.get("greedy").get("tokens"));
            JsonNode r = ok("model", "generate", "--model", model.toString(), "--tokens", csv(prompt),
                    "--max-new-tokens", String.valueOf(greedy.length)).json();
            int[] got = ints(r.get("tokens"));
            assertArrayEquals(java.util.Arrays.copyOf(greedy, got.length), got, "greedy prefix");
            if ("length".equals(r.get("finish_reason").asText())) {
                assertArrayEquals(greedy, got);
            }
            assertEquals(prompt.length, r.get("prompt_tokens").asInt());
            assertEquals(got.length, r.get("generated_tokens").asInt());
            assertTrue(r.has("queue_ms") && r.has("compute_ms"), r.toString());
            assertTrue(!r.has("text"), "golden models have no tokenizer: " + r);
        }
    }

    @Test
    void initThenInfoAndGenerateText() throws Exception {
        Path dir = tmp.resolve("tiny");
        JsonNode init = ok("model", "init", "--preset", "tiny", "--out", dir.toString(), "--seed", "7").json();
        assertEquals(List.of("model_dir", "preset", "variant", "total_parameters", "active_parameters_per_token",
                "manifest"), keys(init));
        assertEquals("tiny", init.get("preset").asText());
        assertEquals("v3", init.get("variant").asText());
        JsonNode info = ok("model", "info", "--model", dir.toString()).json();
        assertEquals(init.get("total_parameters").asLong(), info.get("total_parameters").asLong());
        assertEquals("deepseek_v3", info.get("model_type").asText());

        JsonNode gen = ok("model", "generate", "--model", dir.toString(), "--prompt", "hello",
                "--max-new-tokens", "5", "--temperature", "0.8", "--top-p", "0.9", "--seed", "3").json();
        assertEquals(List.of("tokens", "text", "finish_reason", "prompt_tokens", "generated_tokens", "queue_ms",
                "compute_ms"), keys(gen));
        JsonNode again = ok("model", "generate", "--model", dir.toString(), "--prompt", "hello",
                "--max-new-tokens", "5", "--temperature", "0.8", "--top-p", "0.9", "--seed", "3").json();
        assertEquals(gen.get("tokens"), again.get("tokens"), "same seed, same tokens");

        JsonNode v2 = ok("model", "init", "--preset", "tiny", "--variant", "v2", "--out",
                tmp.resolve("tiny-v2").toString()).json();
        assertEquals("v2", v2.get("variant").asText());
    }

    @Test
    void tokenOutsideVocabularyIsAUsageError() {
        CliRun r = CliRun.of("model", "logits", "--model", goldenModel("tiny-v3").toString(), "--tokens", "5,256");
        assertEquals(Main.EXIT_USAGE, r.exitCode(), r.toString());
        assertTrue(r.err().contains("outside the model's vocabulary"), r.toString());
        assertEquals("", r.out());
    }

    @Test
    void int8BackendRunsAndAnUnknownBackendIsAUsageError() throws Exception {
        String model = goldenModel("tiny-v3").toString();
        JsonNode l = ok("model", "logits", "--model", model, "--tokens", "5,6,7", "--backend", "vector-int8").json();
        assertEquals(goldenVocab(model), l.get("logits").size());
        CliRun r = CliRun.of("model", "logits", "--model", model, "--tokens", "5", "--backend", "tpu");
        assertEquals(Main.EXIT_USAGE, r.exitCode(), r.toString());
        assertTrue(r.err().contains("unknown backend 'tpu': expected scalar, vector or vector-int8"), r.toString());
    }

    private static int goldenVocab(String model) throws Exception {
        return new ObjectMapper().readTree(Path.of(model, "config.json").toFile()).get("vocab_size").asInt();
    }

    @Test
    void benchEngineOnGoldenTinyV3() throws Exception {
        JsonNode b = ok("bench", "engine", "--model", goldenModel("tiny-v3").toString(), "--prompt-tokens", "16",
                "--decode-steps", "4", "--batches", "1,4", "--skip-limits", "--json").json();
        assertEquals(List.of("machine", "model", "prompt_tokens", "decode_steps", "warmup_runs", "load_ms", "results",
                "prefill_tokens_per_s", "decode_tokens_per_s", "layer_ms", "layer_ms_by_batch",
                "kv_cache_bytes_per_token"), keys(b));
        assertEquals(List.of("1", "4"), keys(b.get("decode_tokens_per_s")));
        assertEquals(5, b.get("warmup_runs").asInt(), "steady state by default: five warm-up rounds");
        assertEquals(List.of("attention", "router", "experts", "router_share", "decode_steps"), keys(b.get("layer_ms")));
        assertTrue(b.get("layer_ms").get("decode_steps").asInt() > 0, b.toString());
        assertEquals(List.of("cores", "java_version", "java_vm", "os", "arch", "max_heap_mb", "backend", "threads",
                "transparent_huge_pages"), keys(b.get("machine")));
        assertTrue(List.of("always", "madvise", "never", "unknown")
                .contains(b.get("machine").get("transparent_huge_pages").asText()), b.get("machine").toString());
        assertEquals("vector", b.get("machine").get("backend").asText());
        assertEquals(2, b.get("results").size());
        JsonNode row = b.get("results").get(1);
        assertEquals(List.of("batch", "prefill_ms", "prefill_tokens_per_s", "total_ms", "decode_ms", "generated_tokens",
                "decode_tokens", "decode_tokens_per_s", "ms_per_step", "jit_ms_during_decode_run", "layer_ms"), keys(row));
        assertEquals(4, row.get("batch").asInt());
        assertTrue(row.get("jit_ms_during_decode_run").asLong() >= 0, row.toString());
        assertTrue(row.get("prefill_tokens_per_s").asDouble() > 0, row.toString());
    }
}
