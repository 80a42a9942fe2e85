package io.latentflow.flink.job;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Settings of a LatentFlow job, given as {@code --key value} arguments or in the Flink configuration. */
public final class LatentFlowOptions {
    private LatentFlowOptions() {
    }

    public static final ConfigOption<List<String>> SPEC = ConfigOptions.key("spec")
            .stringType().asList().noDefaultValue()
            .withDescription("Pipeline spec YAML files; each becomes a pipeline of the job.");

    public static final ConfigOption<String> BOOTSTRAP_SERVERS = ConfigOptions.key("bootstrap-servers")
            .stringType().noDefaultValue()
            .withDescription("Kafka bootstrap servers of the source, result and dead-letter topics.");

    public static final ConfigOption<String> REGISTRY_URL = ConfigOptions.key("registry-url")
            .stringType().noDefaultValue()
            .withDescription("Confluent-compatible schema registry URL (e.g. Apicurio's .../apis/ccompat/v7).");

    public static final ConfigOption<String> REGISTRY_BASIC_AUTH = ConfigOptions.key("registry-basic-auth")
            .stringType().noDefaultValue()
            .withDescription("user:password for the schema registry's basic auth.");

    public static final ConfigOption<Map<String, String>> KAFKA_PROPERTIES = ConfigOptions.key("kafka-properties")
            .mapType().defaultValue(Map.of())
            .withDescription("Kafka client properties passed to source and sinks as they are "
                    + "(security.protocol, sasl.*, ssl.*); on the command line: --kafka.<name> <value>.");

    public static final ConfigOption<String> MODEL_DIR = ConfigOptions.key("model-dir")
            .stringType().noDefaultValue()
            .withDescription("Overrides every spec's model.dir (e.g. where the task managers keep the model).");

    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL = ConfigOptions.key("checkpoint-interval")
            .durationType().defaultValue(Duration.ofSeconds(5))
            .withDescription("Exactly-once results become visible when a checkpoint completes.");

    public static final ConfigOption<Duration> INFERENCE_TIMEOUT = ConfigOptions.key("inference-timeout")
            .durationType().defaultValue(Duration.ofMinutes(5))
            .withDescription("A request still unanswered after this fails the job, which then restores and retries.");

    // Restarts back off exponentially: restart-delay, doubled per failure up to restart-max-delay. With the defaults
    // the job rides out an outage of its registry or broker of about 6 minutes (2+4+8+16+32+60*5 s) and ends after
    // 10 failures in a row; restart-reset-after of running without a failure starts the count and delay over.

    public static final ConfigOption<Integer> RESTART_ATTEMPTS = ConfigOptions.key("restart-attempts")
            .intType().defaultValue(10)
            .withDescription("Restarts from the last checkpoint, in a row, before the job gives up (finite, so a "
                    + "broken job ends); the count starts over after restart-reset-after without a failure.");

    public static final ConfigOption<Duration> RESTART_DELAY = ConfigOptions.key("restart-delay")
            .durationType().defaultValue(Duration.ofSeconds(2))
            .withDescription("Pause before the first restart; it doubles with each further failure.");

    public static final ConfigOption<Duration> RESTART_MAX_DELAY = ConfigOptions.key("restart-max-delay")
            .durationType().defaultValue(Duration.ofMinutes(1))
            .withDescription("Longest pause between restarts.");

    public static final ConfigOption<Duration> RESTART_RESET_AFTER = ConfigOptions.key("restart-reset-after")
            .durationType().defaultValue(Duration.ofMinutes(10))
            .withDescription("Running this long without a failure resets the restart delay and count.");

    public static final ConfigOption<Long> FAIL_ONCE_AFTER = ConfigOptions.key("test.fail-once-after")
            .longType().defaultValue(0L)
            .withDescription("Testing: throw once, in each pipeline, after this many prompted events (0 = never).");

    public static final ConfigOption<Long> ENGINE_FAIL_ONCE_AFTER = ConfigOptions.key("test.engine-fail-once-after")
            .longType().defaultValue(0L)
            .withDescription("Testing: once per pipeline and JVM, after this many requests were submitted, make the "
                    + "shared engine's next forward step throw, failing every request in it (0 = never).");
}
