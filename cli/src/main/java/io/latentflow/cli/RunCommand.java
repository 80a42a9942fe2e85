package io.latentflow.cli;

import io.latentflow.cli.demo.LocalFlink;
import io.latentflow.flink.job.LatentFlowJob;
import io.latentflow.flink.job.LatentFlowOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
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

    @Option(names = "--kafka-properties-file", paramLabel = "FILE",
            description = "Kafka client properties file (security.protocol, sasl.jaas.config, ssl.*), so that secrets "
                    + "stay off the command line; --kafka-property overrides it.")
    Path kafkaPropertiesFile;

    @Option(names = "--registry-basic-auth", paramLabel = "USER:PASSWORD",
            description = "Basic auth of the schema registry (or put user:password@ in --registry-url).")
    String registryBasicAuth;

    @Option(names = "--registry-truststore", paramLabel = "FILE",
            description = "Truststore (PKCS12 or JKS) of an https registry with a private CA.")
    Path registryTruststore;

    @Option(names = "--registry-truststore-password", paramLabel = "PASSWORD", description = "Its password.")
    String registryTruststorePassword;

    @Option(names = "--registry-keystore", paramLabel = "FILE", description = "Client keystore, for mutual TLS.")
    Path registryKeystore;

    @Option(names = "--registry-keystore-password", paramLabel = "PASSWORD", description = "Its password.")
    String registryKeystorePassword;

    @Option(names = "--checkpoint-interval", defaultValue = "5s", paramLabel = "DURATION",
            description = "Exactly-once results appear when a checkpoint completes. Default: ${DEFAULT-VALUE}.")
    String checkpointInterval;

    @Option(names = "--parallelism", defaultValue = "2", description = "Default: ${DEFAULT-VALUE}.")
    int parallelism;

    @Option(names = "--ui-port", defaultValue = "8081", description = "Flink web UI port. Default: ${DEFAULT-VALUE}.")
    int uiPort;

    @Override
    public Integer call() throws Exception {
        StreamExecutionEnvironment env = LocalFlink.environment(uiPort, parallelism);
        Configuration options = new Configuration();
        options.set(LatentFlowOptions.SPEC, specs.stream().map(Path::toString).toList());
        options.set(LatentFlowOptions.BOOTSTRAP_SERVERS, bootstrapServers);
        options.set(LatentFlowOptions.REGISTRY_URL, registryUrl);
        if (modelDir != null) {
            options.set(LatentFlowOptions.MODEL_DIR, modelDir.toAbsolutePath().toString());
        }
        LatentFlowOptions.setKafkaProperties(options, kafkaProperties);
        if (kafkaPropertiesFile != null) {
            options.set(LatentFlowOptions.KAFKA_PROPERTIES_FILE, kafkaPropertiesFile.toAbsolutePath().toString());
        }
        setIfGiven(options, LatentFlowOptions.REGISTRY_BASIC_AUTH, registryBasicAuth);
        setIfGiven(options, LatentFlowOptions.REGISTRY_TRUSTSTORE,
                registryTruststore == null ? null : registryTruststore.toAbsolutePath().toString());
        setIfGiven(options, LatentFlowOptions.REGISTRY_TRUSTSTORE_PASSWORD, registryTruststorePassword);
        setIfGiven(options, LatentFlowOptions.REGISTRY_KEYSTORE,
                registryKeystore == null ? null : registryKeystore.toAbsolutePath().toString());
        setIfGiven(options, LatentFlowOptions.REGISTRY_KEYSTORE_PASSWORD, registryKeystorePassword);
        options.set(LatentFlowOptions.CHECKPOINT_INTERVAL, Durations.parse("--checkpoint-interval", checkpointInterval));
        LatentFlowJob.buildPipeline(env, options);
        LOG.info("running {} on a local MiniCluster; web UI on http://localhost:{}; Ctrl-C stops", specs, uiPort);
        env.execute("latentflow run");
        return 0;
    }

    private static void setIfGiven(Configuration options, ConfigOption<String> option, String value) {
        if (value != null) {
            options.set(option, value);
        }
    }
}
