package io.latentflow.cli;

import io.latentflow.flink.job.LatentFlowJob;
import io.latentflow.flink.job.LatentFlowOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Run pipelines against existing Kafka and schema registry services, on a local Flink "
                + "MiniCluster with its web UI, until stopped (Ctrl-C). On a cluster use the job jar instead.")
final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Option(names = "--spec", required = true, paramLabel = "FILE", description = "Pipeline spec YAML (repeatable).")
    List<Path> specs;

    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT", description = "Kafka.")
    String bootstrapServers;

    @Option(names = "--registry-url", required = true, paramLabel = "URL",
            description = "Confluent-compatible schema registry (Confluent, or Apicurio's .../apis/ccompat/v7).")
    String registryUrl;

    @Option(names = "--model-dir", paramLabel = "DIR", description = "Overrides the specs' model.dir.")
    Path modelDir;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE",
            description = "Kafka client property for sources and sinks, e.g. security.protocol=SASL_SSL (repeatable).")
    Map<String, String> kafkaProperties = Map.of();

    @Option(names = "--checkpoint-interval", defaultValue = "5s", paramLabel = "DURATION",
            description = "Exactly-once results appear when a checkpoint completes. Default: ${DEFAULT-VALUE}.")
    String checkpointInterval;

    @Option(names = "--parallelism", defaultValue = "2", description = "Default: ${DEFAULT-VALUE}.")
    int parallelism;

    @Option(names = "--ui-port", defaultValue = "8081", description = "Flink web UI port. Default: ${DEFAULT-VALUE}.")
    int uiPort;

    @Override
    public Integer call() throws Exception {
        Configuration cluster = new Configuration();
        cluster.set(RestOptions.PORT, uiPort);
        cluster.set(TaskManagerOptions.NUM_TASK_SLOTS, parallelism);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(cluster);
        env.setParallelism(parallelism);
        Configuration options = new Configuration();
        options.set(LatentFlowOptions.SPEC, specs.stream().map(Path::toString).toList());
        options.set(LatentFlowOptions.BOOTSTRAP_SERVERS, bootstrapServers);
        options.set(LatentFlowOptions.REGISTRY_URL, registryUrl);
        if (modelDir != null) {
            options.set(LatentFlowOptions.MODEL_DIR, modelDir.toAbsolutePath().toString());
        }
        options.set(LatentFlowOptions.KAFKA_PROPERTIES, kafkaProperties);
        options.set(LatentFlowOptions.CHECKPOINT_INTERVAL, Durations.parse("--checkpoint-interval", checkpointInterval));
        LatentFlowJob.buildPipeline(env, options);
        LOG.info("running {} on a local MiniCluster; web UI on http://localhost:{}; Ctrl-C stops", specs, uiPort);
        env.execute("latentflow run");
        return 0;
    }
}
