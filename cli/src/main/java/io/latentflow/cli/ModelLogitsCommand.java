package io.latentflow.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latentflow.engine.Engine;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code latentflow model logits}: next-token logits after a token sequence. */
@Command(name = "logits", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Print the next-token logits after the given tokens (one full forward pass).")
final class ModelLogitsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    EngineOptions engine;

    @Option(names = "--tokens", required = true, paramLabel = "IDS", converter = TokenIds.class,
            description = "Token ids, e.g. 1,2,3.")
    TokenIds.List tokens;

    @Override
    public Integer call() {
        try (Engine e = engine.open(spec)) {
            Sequences.requireInVocab(spec, tokens.ids(), e.info().vocabSize());
            float[] logits = e.nextTokenLogits(tokens.ids());
            ObjectNode json = Json.object();
            ArrayNode t = json.putArray("tokens");
            for (int id : tokens.ids()) {
                t.add(id);
            }
            ArrayNode l = json.putArray("logits");
            for (float v : logits) {
                l.add(v);
            }
            Json.print(spec.commandLine().getOut(), json);
        }
        return 0;
    }
}
