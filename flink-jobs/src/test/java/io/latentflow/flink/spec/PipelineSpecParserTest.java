package io.latentflow.flink.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PipelineSpecParserTest {
    static final Path PIPELINES = Path.of("..", "pipelines");

    private static final String VALID = """
            name: p1
            source: {topic: in, key_field: id}
            prompt: {template: "Say {text}:"}
            task: {type: classify, labels: [" a", " b"]}
            output: {topic: out, dead_letter_topic: dlq}
            model: {dir: models/tiny}
            """;

    @Test
    void theShippedPipelinesParse() throws Exception {
        try (Stream<Path> files = Files.list(PIPELINES)) {
            List<Path> specs = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
            assertEquals(3, specs.size());
            for (Path p : specs) {
                PipelineSpec s = PipelineSpecParser.parse(p);
                assertTrue(PromptTemplate.parse(s.template()).fieldPaths().size() >= 3, p.toString());
            }
        }
        PipelineSpec npc = PipelineSpecParser.parse(PIPELINES.resolve("npc-dialogue.yaml"));
        assertEquals(PipelineSpec.Delivery.AT_LEAST_ONCE, npc.delivery());
        PipelineSpec.Generate g = assertInstanceOf(PipelineSpec.Generate.class, npc.task());
        assertEquals(List.of("\n"), g.stop());
        PipelineSpec logistics = PipelineSpecParser.parse(PIPELINES.resolve("logistics-delay-risk.yaml"));
        assertEquals(List.of(" low", " medium", " high"), ((PipelineSpec.Classify) logistics.task()).labels());
        assertEquals("shipment_id", logistics.source().keyField());
    }

    @Test
    void defaults() {
        PipelineSpec s = PipelineSpecParser.parse("p1.yaml", VALID);
        assertEquals("in-value", s.source().valueSubject());
        assertEquals(PipelineSpec.Delivery.EXACTLY_ONCE, s.delivery());
        assertEquals(32, s.batching().maxEvents());
        assertEquals("vector", s.model().backend());
        assertEquals(512L << 20, s.model().cacheBudgetBytes());
    }

    @Test
    void theInt8BackendIsAccepted() {
        assertEquals("vector-int8", PipelineSpecParser.parse("p.yaml", VALID.replace("{dir: models/tiny}",
                "{dir: models/tiny, backend: vector-int8}")).model().backend());
    }

    @Test
    void theCacheBudgetIsInMbOrKb() {
        assertEquals(256L << 20, PipelineSpecParser.parse("p.yaml", VALID.replace("{dir: models/tiny}",
                "{dir: models/tiny, cache_budget_mb: 256}")).model().cacheBudgetBytes());
        assertEquals(48L << 10, PipelineSpecParser.parse("p.yaml", VALID.replace("{dir: models/tiny}",
                "{dir: models/tiny, cache_budget_kb: 48}")).model().cacheBudgetBytes());
    }

    static Stream<Arguments> invalidSpecs() {
        return Stream.of(
                Arguments.of(VALID.replace("name: p1\n", ""), "p.yaml: name is missing"),
                Arguments.of(VALID.replace("name: p1", "name: 'a b'"), "p.yaml: name must use only"),
                Arguments.of(VALID.replace("source: {topic: in, key_field: id}", "source: {key_field: id}"),
                        "p.yaml: source.topic is missing"),
                Arguments.of(VALID.replace("type: classify", "type: summarize"),
                        "p.yaml: task.type must be 'classify' or 'generate', got 'summarize'"),
                Arguments.of(VALID.replace("labels: [\" a\", \" b\"]", "labels: []"),
                        "p.yaml: task.labels must be a non-empty list"),
                Arguments.of(VALID.replace("labels: [\" a\", \" b\"]", "labels: [\" a\", \" a\"]"),
                        "p.yaml: task.labels[1] repeats the label ' a'"),
                Arguments.of(VALID.replace("{topic: out, dead_letter_topic: dlq}", "{topic: out}"),
                        "p.yaml: output.dead_letter_topic is missing"),
                Arguments.of(VALID + "batching: {max_events: 0}\n", "p.yaml: batching.max_events must be a positive"),
                Arguments.of(VALID + "batching: {max_wait_ms: soon}\n", "p.yaml: batching.max_wait_ms must be a positive"),
                Arguments.of(VALID + "delivery: twice\n", "p.yaml: delivery must be 'exactly_once' or 'at_least_once'"),
                Arguments.of(VALID.replace("{dir: models/tiny}", "{dir: models/tiny, backend: tpu}"),
                        "p.yaml: model.backend must be scalar, vector or vector-int8, got 'tpu'"),
                Arguments.of(VALID.replace("type: classify, labels: [\" a\", \" b\"]", "type: generate, top_p: 2"),
                        "p.yaml: task.top_p must be in (0, 1], got 2.0"),
                Arguments.of(VALID.replace("{dir: models/tiny}", "{dir: m, cache_budget_mb: 1, cache_budget_kb: 64}"),
                        "p.yaml: model.cache_budget_kb and model.cache_budget_mb are both given"),
                Arguments.of(VALID.replace("{dir: models/tiny}", "{dir: m, cache_budget_kb: 0}"),
                        "p.yaml: model.cache_budget_kb must be a positive integer"),
                Arguments.of("name: [unclosed", "p.yaml: not valid YAML"),
                Arguments.of(VALID.replace("{text}", "{text"),
                        "p.yaml: prompt.template is invalid: template has an unclosed '{' at character"),
                Arguments.of(VALID.replace("{text}:", "{text}:}"),
                        "p.yaml: prompt.template is invalid: template has an unmatched '}' at character"),
                Arguments.of(VALID.replace("{text}", "{1st}"),
                        "p.yaml: prompt.template is invalid: template field '1st' at character"),
                Arguments.of(VALID.replace("key_field: id", "key_field: 'a b'"),
                        "p.yaml: source.key_field must be a field name or dotted path, got 'a b'"),
                Arguments.of("- a list", "p.yaml: a pipeline spec is a YAML mapping"));
    }

    @ParameterizedTest
    @MethodSource("invalidSpecs")
    void invalidSpecsNameTheField(String yaml, String message) {
        SpecException e = assertThrows(SpecException.class, () -> PipelineSpecParser.parse("p.yaml", yaml));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }
}
