package io.latentflow.cli;

import io.latentflow.cli.demo.Demo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/** The options `demo` and `bench soak` share: which pipelines and model, and how the embedded job runs. */
final class EmbeddedPipelineOptions {

    @Option(names = "--drain-timeout", defaultValue = "180s", paramLabel = "DURATION",
            description = "How long to wait for the last results after the generators stop. Default: ${DEFAULT-VALUE}.")
    String drainTimeout;

    @Option(names = "--model", paramLabel = "DIR",
            description = "Model directory; created with the tiny preset when absent. Default: models/tiny in the repository.")
    Path model;

    @Option(names = "--spec", paramLabel = "FILE",
            description = "Pipeline specs to run. Default: the three in the repository's pipelines/ folder.")
    List<Path> specs;

    @Option(names = "--ui-port", defaultValue = "8081", description = "Flink web UI port. Default: ${DEFAULT-VALUE}.")
    int uiPort;

    @Option(names = "--checkpoint-interval", defaultValue = "2s", paramLabel = "DURATION",
            description = "Exactly-once results appear when a checkpoint completes. Default: ${DEFAULT-VALUE}.")
    String checkpointInterval;

    /** The demo's settings from these options and the command's own rate, bound and bad records. */
    Demo.Settings settings(double rate, long events, Duration duration, int injectBad) throws Exception {
        return new Demo.Settings(specs != null ? specs : DemoCommand.shippedSpecs(),
                DemoCommand.demoModel(model).toAbsolutePath(), rate, events, duration,
                Durations.parse("--drain-timeout", drainTimeout),
                Durations.parse("--checkpoint-interval", checkpointInterval), uiPort, 2, injectBad);
    }
}
