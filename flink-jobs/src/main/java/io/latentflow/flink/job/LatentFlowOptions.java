package io.latentflow.flink.job;

import io.latentflow.schemas.RegistryConfig;
import io.latentflow.schemas.RegistryTls;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/**
 * Settings of a LatentFlow job, given as {@code --key value} arguments or in the Flink configuration.
 *
 * <p>Secrets: Flink's {@code Configuration.toString()} masks the values of keys that contain {@code password},
 * {@code secret}, {@code basic-auth}, {@code jaas.config} and the like. So Kafka properties are stored one key each
 * ({@code kafka-properties.sasl.jaas.config}, see {@link #setKafkaProperties}), never as one map value, and the
 * registry's secrets have such names; a dump of the options then shows no secret.
 */
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

    public static final ConfigOption<String> REGISTRY_TRUSTSTORE = ConfigOptions.key("registry-truststore")
            .stringType().noDefaultValue()
            .withDescription("Truststore (PKCS12 or JKS) for an https registry with a private CA; read on the task "
                    + "managers, so the path must exist there.");

    public static final ConfigOption<String> REGISTRY_TRUSTSTORE_PASSWORD = ConfigOptions
            .key("registry-truststore-password").stringType().noDefaultValue()
            .withDescription("Password of --registry-truststore.");

    public static final ConfigOption<String> REGISTRY_KEYSTORE = ConfigOptions.key("registry-keystore")
            .stringType().noDefaultValue()
            .withDescription("Keystore with the client key, for a registry that requires mutual TLS.");

    public static final ConfigOption<String> REGISTRY_KEYSTORE_PASSWORD = ConfigOptions
            .key("registry-keystore-password").stringType().noDefaultValue()
            .withDescription("Password of --registry-keystore (and of its key).");

    public static final ConfigOption<String> KAFKA_PROPERTIES_FILE = ConfigOptions.key("kafka-properties-file")
            .stringType().noDefaultValue()
            .withDescription("A Java properties file of Kafka client properties (read where the job is built), so "
                    + "that secrets stay off the command line; --kafka.<name> values override it.");

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

    /**
     * Stores Kafka client properties as one key each ({@code kafka-properties.<name>}), which
     * {@link #KAFKA_PROPERTIES} reads back, and which Flink masks when the name looks secret.
     */
    public static void setKafkaProperties(Configuration options, Map<String, String> properties) {
        properties.forEach((k, v) -> options.setString(KAFKA_PROPERTIES.key() + "." + k, v));
    }

    /** The Kafka client properties: those of {@link #KAFKA_PROPERTIES_FILE}, overridden by {@link #KAFKA_PROPERTIES}. */
    public static Map<String, String> kafkaProperties(Configuration options) {
        Map<String, String> all = new LinkedHashMap<>();
        String file = options.get(KAFKA_PROPERTIES_FILE);
        if (file != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read --" + KAFKA_PROPERTIES_FILE.key() + " " + file, e);
            }
            p.stringPropertyNames().forEach(k -> all.put(k, p.getProperty(k)));
        }
        all.putAll(options.get(KAFKA_PROPERTIES));
        return all;
    }

    /** The registry settings: URL, basic auth, truststore and keystore. */
    public static RegistryConfig registryConfig(Configuration options) {
        String url = options.get(REGISTRY_URL);
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("missing option --" + REGISTRY_URL.key());
        }
        RegistryConfig registry = RegistryConfig.of(url);
        if (options.get(REGISTRY_BASIC_AUTH) != null) {
            registry = registry.withBasicAuth(options.get(REGISTRY_BASIC_AUTH));
        }
        if (options.get(REGISTRY_TRUSTSTORE) != null || options.get(REGISTRY_KEYSTORE) != null) {
            registry = registry.withTls(new RegistryTls(options.get(REGISTRY_TRUSTSTORE),
                    options.get(REGISTRY_TRUSTSTORE_PASSWORD), null, options.get(REGISTRY_KEYSTORE),
                    options.get(REGISTRY_KEYSTORE_PASSWORD), null, null));
        }
        return registry;
    }
}
