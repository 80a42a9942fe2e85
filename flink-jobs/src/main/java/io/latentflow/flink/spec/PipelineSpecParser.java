package io.latentflow.flink.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.latentflow.engine.ops.Backend;
import io.latentflow.flink.spec.PipelineSpec.Batching;
import io.latentflow.flink.spec.PipelineSpec.Delivery;
import io.latentflow.flink.spec.PipelineSpec.Model;
import io.latentflow.flink.spec.PipelineSpec.Output;
import io.latentflow.flink.spec.PipelineSpec.Source;
import io.latentflow.flink.spec.PipelineSpec.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a pipeline spec from YAML. Every problem fails start-up with a {@link SpecException} naming
 * the file and the field, e.g. {@code logistics.yaml: task.labels must be a non-empty list}.
 */
public final class PipelineSpecParser {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final String file;

    private PipelineSpecParser(String file) {
        this.file = file;
    }

    public static PipelineSpec parse(Path path) {
        try {
            return parse(path.toString(), Files.readString(path));
        } catch (IOException e) {
            throw new SpecException(path + ": cannot read the pipeline spec: " + e.getMessage(), e);
        }
    }

    /** Parses YAML text; {@code file} names it in error messages. */
    public static PipelineSpec parse(String file, String yaml) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new SpecException(file + ": not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ")" : ""), e);
        }
        if (root == null || !root.isObject()) {
            throw new SpecException(file + ": a pipeline spec is a YAML mapping with name, source, prompt, task,"
                    + " output and model");
        }
        return new PipelineSpecParser(file).spec(root);
    }

    private PipelineSpec spec(JsonNode root) {
        String name = text(root, "name", true);
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw error("name", "must use only letters, digits, '.', '_' and '-', got '" + name + "'");
        }
        JsonNode src = object(root, "source");
        String topic = text(src, "source.topic", true);
        Source source = new Source(topic, orDefault(text(src, "source.value_subject", false), topic + "-value"),
                text(src, "source.key_field", false));
        String template = text(object(root, "prompt"), "prompt.template", true);
        try {
            PromptTemplate.parse(template); // a syntax error fails here, at start-up, not in every task manager
        } catch (IllegalArgumentException e) {
            throw error("prompt.template", "is invalid: " + e.getMessage());
        }
        if (source.keyField() != null && !source.keyField().matches(PromptTemplate.FIELD_PATH)) {
            throw error("source.key_field", "must be a field name or dotted path, got '" + source.keyField() + "'");
        }
        Task task = task(object(root, "task"));
        JsonNode out = object(root, "output");
        Output output = new Output(text(out, "output.topic", true), text(out, "output.dead_letter_topic", true));
        JsonNode b = root.has("batching") ? object(root, "batching") : YAML.createObjectNode();
        Batching batching = new Batching(
                positiveInt(b, "batching.max_events", 32),
                positiveInt(b, "batching.max_prompt_tokens", 4096),
                positiveInt(b, "batching.max_wait_ms", 20),
                positiveInt(b, "batching.max_in_flight", 64));
        Delivery delivery = delivery(text(root, "delivery", false));
        JsonNode m = object(root, "model");
        String backend = orDefault(text(m, "model.backend", false), "vector");
        try {
            backend = Backend.parse(backend).label();
        } catch (IllegalArgumentException e) {
            throw error("model.backend", "must be " + Backend.choices() + ", got '" + backend + "'");
        }
        Model model = new Model(text(m, "model.dir", true), backend,
                positiveInt(m, "model.threads", Runtime.getRuntime().availableProcessors()),
                cacheBudgetBytes(m));
        return new PipelineSpec(name, source, template, task, output, batching, delivery, model);
    }

    /** model.cache_budget_mb (default 512), or cache_budget_kb for budgets under a MB (e.g. tests); not both. */
    private long cacheBudgetBytes(JsonNode m) {
        if (m.hasNonNull("cache_budget_kb")) {
            if (m.hasNonNull("cache_budget_mb")) {
                throw error("model.cache_budget_kb", "and model.cache_budget_mb are both given; keep one");
            }
            return (long) positiveInt(m, "model.cache_budget_kb", 0) << 10;
        }
        return (long) positiveInt(m, "model.cache_budget_mb", 512) << 20;
    }

    private Task task(JsonNode t) {
        String type = text(t, "task.type", true);
        switch (type) {
            case "classify": {
                JsonNode labels = t.get("labels");
                if (labels == null || !labels.isArray() || labels.isEmpty()) {
                    throw error("task.labels", "must be a non-empty list of label texts");
                }
                List<String> out = new ArrayList<>();
                for (int i = 0; i < labels.size(); i++) {
                    if (!labels.get(i).isTextual() || labels.get(i).asText().isEmpty()) {
                        throw error("task.labels[" + i + "]", "must be a non-empty string");
                    }
                    if (out.contains(labels.get(i).asText())) {
                        throw error("task.labels[" + i + "]", "repeats the label '" + labels.get(i).asText() + "'");
                    }
                    out.add(labels.get(i).asText());
                }
                return new PipelineSpec.Classify(List.copyOf(out));
            }
            case "generate": {
                double temperature = number(t, "task.temperature", 0);
                double topP = number(t, "task.top_p", 1);
                if (temperature < 0) {
                    throw error("task.temperature", "must be >= 0, got " + temperature);
                }
                if (!(topP > 0 && topP <= 1)) {
                    throw error("task.top_p", "must be in (0, 1], got " + topP);
                }
                List<String> stop = new ArrayList<>();
                JsonNode s = t.get("stop");
                if (s != null && !s.isNull()) {
                    if (!s.isArray()) {
                        throw error("task.stop", "must be a list of strings");
                    }
                    s.forEach(n -> stop.add(n.asText()));
                }
                return new PipelineSpec.Generate(positiveInt(t, "task.max_new_tokens", 32), temperature,
                        (int) number(t, "task.top_k", 0), topP, (long) number(t, "task.seed", 0), List.copyOf(stop));
            }
            default:
                throw error("task.type", "must be 'classify' or 'generate', got '" + type + "'");
        }
    }

    private Delivery delivery(String value) {
        if (value == null) {
            return Delivery.EXACTLY_ONCE;
        }
        switch (value.toLowerCase(Locale.ROOT).replace('-', '_')) {
            case "exactly_once":
                return Delivery.EXACTLY_ONCE;
            case "at_least_once":
                return Delivery.AT_LEAST_ONCE;
            default:
                throw error("delivery", "must be 'exactly_once' or 'at_least_once', got '" + value + "'");
        }
    }

    private JsonNode object(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            throw error(field, "is missing");
        }
        if (!n.isObject()) {
            throw error(field, "must be a mapping");
        }
        return n;
    }

    private String text(JsonNode parent, String path, boolean required) {
        JsonNode n = parent.get(leaf(path));
        if (n == null || n.isNull()) {
            if (required) {
                throw error(path, "is missing");
            }
            return null;
        }
        if (!n.isValueNode() || n.asText().isBlank()) {
            throw error(path, "must be a non-empty string");
        }
        return n.asText();
    }

    private int positiveInt(JsonNode parent, String path, int dflt) {
        JsonNode n = parent.get(leaf(path));
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < 1) {
            throw error(path, "must be a positive integer, got " + n);
        }
        return n.asInt();
    }

    private double number(JsonNode parent, String path, double dflt) {
        JsonNode n = parent.get(leaf(path));
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isNumber()) {
            throw error(path, "must be a number, got " + n);
        }
        return n.asDouble();
    }

    private static String leaf(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    private static String orDefault(String v, String dflt) {
        return v != null ? v : dflt;
    }

    private SpecException error(String field, String problem) {
        return new SpecException(file + ": " + field + " " + problem);
    }
}
