package io.latentflow.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latentflow.engine.ModelInfo;
import io.latentflow.engine.checkpoint.ModelConfig;
import io.latentflow.engine.checkpoint.ModelManifest;
import io.latentflow.engine.init.RandomCheckpoint;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code latentflow model init}: writes a random-weight checkpoint and a byte-level BPE tokenizer. */
@Command(name = "init", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Write a random-weight model (config.json, model.safetensors, tokenizer.json, SHA256SUMS). "
                + "Its weights are random: the text it generates is meaningless.")
final class ModelInitCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ModelInitCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = "--preset", required = true, paramLabel = "tiny|small|medium", description = "Model size.")
    RandomCheckpoint.Preset preset;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write (created if needed).")
    Path out;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N", description = "Weight seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--variant", defaultValue = "v3", paramLabel = "v2|v3",
            description = "deepseek_v2 or deepseek_v3 architecture. Default: ${DEFAULT-VALUE}.")
    RandomCheckpoint.Variant variant;

    @Override
    public Integer call() {
        String presetName = preset.name().toLowerCase();
        String variantName = variant.name().toLowerCase();
        LOG.info("writing random {} {} model (seed {}) to {}", presetName, variantName, seed, out);
        ModelConfig config = RandomCheckpoint.writeWithTokenizer(preset, variant, seed, out);
        ModelManifest.write(out); // the engine verifies it at every load
        ModelInfo info = ModelInfo.of(config);
        ObjectNode json = Json.object();
        json.put("model_dir", out.toAbsolutePath().normalize().toString());
        json.put("preset", presetName);
        json.put("variant", variantName);
        json.put("total_parameters", info.totalParameters());
        json.put("active_parameters_per_token", info.activeParametersPerToken());
        json.put("manifest", out.resolve(ModelManifest.FILE).toAbsolutePath().normalize().toString());
        Json.print(spec.commandLine().getOut(), json);
        return 0;
    }
}
