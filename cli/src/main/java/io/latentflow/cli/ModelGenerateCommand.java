package io.latentflow.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latentflow.engine.Engine;
import io.latentflow.engine.EngineConfig;
import io.latentflow.engine.InferenceRequest;
import io.latentflow.engine.InferenceResult;
import io.latentflow.engine.Prompt;
import io.latentflow.engine.RequestStats;
import io.latentflow.engine.SamplingParams;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code latentflow model generate}: continues a prompt through the engine's scheduler (one
 * {@link InferenceRequest.Generate}). Greedy unless {@code --temperature} is given.
 */
@Command(name = "generate", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Generate a continuation of a prompt (token ids or text). Greedy unless --temperature is given.")
final class ModelGenerateCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ModelGenerateCommand.class);

    @Spec
    CommandSpec spec;

    @Mixin
    EngineOptions engine;

    static final class Input {
        @Option(names = "--tokens", required = true, paramLabel = "IDS", converter = TokenIds.class,
                description = "Prompt token ids, e.g. 1,2,3.")
        TokenIds.List tokens;

        @Option(names = "--prompt", required = true, paramLabel = "TEXT",
                description = "Prompt text, encoded by the model's tokenizer.json.")
        String text;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    @Option(names = "--max-new-tokens", required = true, paramLabel = "N", description = "Tokens to generate at most.")
    int maxNewTokens;

    @Option(names = "--temperature", paramLabel = "T", description = "Sampling temperature (0 = greedy). Default: greedy.")
    Double temperature;

    @Option(names = "--top-p", paramLabel = "P", description = "Nucleus sampling mass in (0, 1]. Default: 1.")
    Double topP;

    @Option(names = "--top-k", paramLabel = "K", description = "Keep the K most likely tokens (0 = all). Default: 0.")
    Integer topK;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seed of the request's random stream. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--stop", paramLabel = "TEXT", description = "Stop when the text contains this (repeatable).")
    List<String> stop;

    @Override
    public Integer call() {
        SamplingParams sampling = sampling();
        EngineConfig config = engine.config(spec);
        try (Engine e = EngineOptions.open(config)) {
            Prompt prompt;
            if (input.tokens != null) {
                Sequences.requireInVocab(spec, input.tokens.ids(), e.info().vocabSize());
                prompt = Prompt.ofTokens(input.tokens.ids());
            } else {
                if (e.tokenizer().isEmpty()) {
                    throw new ParameterException(spec.commandLine(), engine.model
                            + " has no tokenizer.json: give the prompt as --tokens");
                }
                prompt = Prompt.ofText(input.text);
            }
            if (stop != null && !stop.isEmpty() && e.tokenizer().isEmpty()) {
                throw new ParameterException(spec.commandLine(), engine.model
                        + " has no tokenizer.json: --stop needs one");
            }
            LOG.info("generating up to {} tokens ({})", maxNewTokens,
                    sampling.isGreedy() ? "greedy" : "temperature " + sampling.temperature());
            InferenceResult result = e.submit(new InferenceRequest.Generate("cli-1", prompt, sampling)).join();
            if (!(result instanceof InferenceResult.Generated)) {
                throw new IllegalStateException("engine returned " + result.getClass().getSimpleName()
                        + " for a generate request");
            }
            Json.print(spec.commandLine().getOut(), toJson((InferenceResult.Generated) result));
        }
        return 0;
    }

    private SamplingParams sampling() {
        if (maxNewTokens < 1) {
            throw new ParameterException(spec.commandLine(), "--max-new-tokens must be >= 1, got " + maxNewTokens);
        }
        if (temperature != null && !(temperature >= 0)) {
            throw new ParameterException(spec.commandLine(), "--temperature must be >= 0, got " + temperature);
        }
        if (topP != null && !(topP > 0 && topP <= 1)) {
            throw new ParameterException(spec.commandLine(), "--top-p must be in (0, 1], got " + topP);
        }
        if (topK != null && topK < 0) {
            throw new ParameterException(spec.commandLine(), "--top-k must be >= 0, got " + topK);
        }
        double t = temperature == null ? 0 : temperature;
        if (t == 0 && (topP != null || topK != null)) {
            LOG.warn("greedy decoding (no --temperature): --top-p and --top-k have no effect");
        }
        return new SamplingParams(t, topK == null ? 0 : topK, topP == null ? 1 : topP, seed, maxNewTokens, null, stop);
    }

    static ObjectNode toJson(InferenceResult.Generated g) {
        ObjectNode json = Json.object();
        ArrayNode t = json.putArray("tokens");
        for (int id : g.tokens()) {
            t.add(id);
        }
        if (g.text() != null) {
            json.put("text", g.text());
        }
        json.put("finish_reason", g.finishReason());
        RequestStats s = g.stats();
        json.put("prompt_tokens", s.promptTokens());
        json.put("generated_tokens", s.generatedTokens());
        json.put("queue_ms", Json.millis(s.queueNanos()));
        json.put("compute_ms", Json.millis(s.computeNanos()));
        return json;
    }
}
