package io.latentflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latentflow.cli.demo.Demo;
import io.latentflow.engine.checkpoint.ModelManifest;
import io.latentflow.engine.init.RandomCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Run the three shipped pipelines end to end on this machine: a real Kafka broker and schema "
                + "registry, a Flink MiniCluster (web UI on localhost:8081), event generators and a tiny "
                + "random-weight model (its labels and text are meaningless). Prints the summary as JSON.")
final class DemoCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(DemoCommand.class);

    @Spec
    CommandSpec spec;

    @Mixin
    EmbeddedPipelineOptions pipelines;

    @Option(names = "--rate", defaultValue = "10", paramLabel = "EVENTS_PER_S",
            description = "Events per second per stream. Default: ${DEFAULT-VALUE}.")
    double rate;

    @Option(names = "--events", defaultValue = "0", paramLabel = "N",
            description = "Events per stream; when given, it ends the demo instead of --duration.")
    long events;

    @Option(names = "--duration", defaultValue = "30s", paramLabel = "DURATION",
            description = "How long the generators run (e.g. 30s, 5m). Default: ${DEFAULT-VALUE}.")
    String duration;

    @Option(names = "--summary-json", paramLabel = "FILE", description = "Also write the summary JSON here.")
    Path summaryJson;

    @Option(names = "--inject-bad", defaultValue = "0", paramLabel = "N",
            description = "Also plant N bad records per stream (cycling through the record-level kinds of docs/reliability.md); "
                    + "they become dead letters and count among the events. Default: ${DEFAULT-VALUE}.")
    int injectBad;

    @Override
    public Integer call() throws Exception {
        if (injectBad < 0) {
            throw new IllegalArgumentException("--inject-bad must be >= 0, got " + injectBad);
        }
        Demo.Settings settings = pipelines.settings(rate, events, Durations.parse("--duration", duration), injectBad);
        Demo demo = new Demo(settings);
        // Ctrl-C: let the run end early, print its summary and close everything before the JVM halts
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            demo.requestStop();
            try {
                finished.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "latentflow-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        ObjectNode summary;
        try {
            summary = demo.run(spec.commandLine().getErr());
            if (summaryJson != null) {
                Files.writeString(summaryJson, summary.toPrettyString());
            }
            Json.print(spec.commandLine().getOut(), summary);
        } finally {
            demo.close();
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is waiting for this thread, which is done
            }
        }
        return allAccounted(summary, "latentflow demo", spec.commandLine().getErr()) ? 0 : Main.EXIT_FAILURE;
    }

    /**
     * Whether every pipeline of a demo summary had as many results plus dead letters as events; names each
     * pipeline that did not on {@code err}.
     */
    static boolean allAccounted(ObjectNode summary, String command, java.io.PrintWriter err) {
        boolean ok = true;
        for (Iterator<Map.Entry<String, JsonNode>> it = summary.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            long in = p.getValue().get("events").asLong();
            long out = p.getValue().get("results").asLong() + p.getValue().get("dead_letters").asLong();
            if (in != out) {
                err.println(command + ": pipeline " + p.getKey() + " had " + in
                        + " events but " + out + " results and dead letters");
                ok = false;
            }
        }
        return ok;
    }

    /** The given model directory, or the repository's models/tiny; the tiny random model is written when absent. */
    static Path demoModel(Path model) {
        Path modelDir = model != null ? model : home().resolve("models").resolve("tiny");
        if (!Files.exists(modelDir.resolve("config.json"))) {
            LOG.info("creating the tiny random-weight demo model in {}", modelDir);
            RandomCheckpoint.writeWithTokenizer(RandomCheckpoint.Preset.TINY, RandomCheckpoint.Variant.V3, 42,
                    modelDir);
            ModelManifest.write(modelDir); // as model init does
        }
        return modelDir;
    }

    private static Path home() {
        return Path.of(System.getProperty("latentflow.home", "."));
    }

    /** The shipped pipeline specs, from the repository's pipelines/ folder. */
    static List<Path> shippedSpecs() throws Exception {
        Path dir = home().resolve("pipelines");
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("no pipelines folder at " + dir.toAbsolutePath()
                    + "; pass --spec FILE or run from the repository");
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }
}
