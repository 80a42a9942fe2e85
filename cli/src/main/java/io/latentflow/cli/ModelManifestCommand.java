package io.latentflow.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latentflow.engine.checkpoint.ModelManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code latentflow model manifest}: writes (or checks) a model directory's SHA256SUMS. */
@Command(name = "manifest", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Write the model directory's SHA256SUMS (sha256sum format, every file of the directory), which "
                + "the engine verifies at every load; --check verifies it instead.")
final class ModelManifestCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory.")
    Path model;

    @Option(names = "--check", description = "Verify the existing manifest instead of writing one.")
    boolean check;

    @Override
    public Integer call() {
        if (!Files.isDirectory(model)) {
            throw new ParameterException(spec.commandLine(), "model directory not found: " + model);
        }
        long t0 = System.nanoTime();
        ObjectNode json = Json.object();
        json.put("model_dir", model.toAbsolutePath().normalize().toString());
        json.put("manifest", model.resolve(ModelManifest.FILE).toAbsolutePath().normalize().toString());
        if (check) {
            ModelManifest.verify(model);
            json.put("verified", true);
        } else {
            Map<String, String> sums = ModelManifest.write(model);
            json.put("files", sums.size());
        }
        json.put("ms", (System.nanoTime() - t0) / 1_000_000);
        Json.print(spec.commandLine().getOut(), json);
        return 0;
    }
}
