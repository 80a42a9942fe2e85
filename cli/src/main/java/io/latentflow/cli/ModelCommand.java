package io.latentflow.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code latentflow model ...}: create, inspect and run a model directory. */
@Command(name = "model", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Create, inspect and run a model directory.",
        subcommands = {ModelInitCommand.class, ModelLogitsCommand.class, ModelGenerateCommand.class,
                ModelInfoCommand.class, ModelManifestCommand.class})
final class ModelCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand (init, logits, generate, info or manifest)");
    }
}
