package io.latentflow.flink.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentflow.embedded.BasicAuthTlsProxy;
import io.latentflow.embedded.EmbeddedApicurio;
import io.latentflow.embedded.EmbeddedKafka;
import io.latentflow.embedded.SecureKafka;
import io.latentflow.embedded.Services;
import io.latentflow.embedded.TestPki;
import io.latentflow.schemas.ConfluentAvroDeserializer;
import io.latentflow.schemas.RegistryConfig;
import io.latentflow.schemas.RegistryTls;
import io.latentflow.schemas.avro.InferenceResult;
import io.latentflow.schemas.samples.SampleEvents;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The logistics pipeline (the job's source and sinks, and the test's own producer and read_committed verifier) on
 * secured services, configured only through {@link LatentFlowOptions}: Kafka over SASL_SSL (SCRAM-SHA-512) with the
 * registry behind HTTPS and basic auth, and Kafka over mutual TLS with its properties from a
 * {@code --kafka-properties-file}. N events give N results each time. A client with a wrong password is refused.
 * Every log line of the JVM (Flink, Kafka clients and broker, ours, at INFO) and the options' dump are checked for
 * the passwords at the end.
 */
@Timeout(300)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecurePipelineITCase {
    private static final int EVENTS = 20;
    private static final String SPEC = "logistics-delay-risk.yaml";
    private static final String IN = "logistics.events";
    private static final String OUT = "planner.delay-risk";
    private static final String DLQ = "logistics.dead-letters";
    private static final String KAFKA_USER = "latentflow";
    private static final String KAFKA_PASSWORD = "scram-pw-Zq81x";
    private static final String REGISTRY_USER = "registry";
    private static final String REGISTRY_PASSWORD = "registry-pw-Kw93y";

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    Path work;
    TestPki pki;
    LogCapture logs;
    Services services;
    EmbeddedKafka kafka;
    BasicAuthTlsProxy registryProxy;
    PipelineHarness plain;
    final List<String> exceptionMessages = new ArrayList<>();
    final List<String> optionDumps = new ArrayList<>();

    @BeforeAll
    void start(@TempDir Path tempDir) {
        work = tempDir;
        EmbeddedKafka.Builder broker = EmbeddedKafka.builder(); // its class quiets Kafka's loggers: capture after
        logs = LogCapture.install();
        pki = TestPki.generate(work.resolve("pki"));
        services = Services.start(SecureKafka.configure(broker, pki, KAFKA_USER, KAFKA_PASSWORD),
                EmbeddedApicurio.builder());
        kafka = services.kafka();
        registryProxy = BasicAuthTlsProxy.start(services.schemaRegistryUrl(), pki, REGISTRY_USER, REGISTRY_PASSWORD,
                false);
        plain = new PipelineHarness(work, services.bootstrapServers(), services.schemaRegistryUrl(), null);
    }

    @AfterAll
    void stop() {
        if (logs != null) {
            logs.close();
        }
        if (plain != null) {
            plain.close();
        }
        if (registryProxy != null) {
            registryProxy.close();
        }
        if (services != null) {
            services.close();
        }
    }

    @Test
    @Order(1)
    void saslSslKafkaAndTheRegistryOverTlsWithBasicAuth() throws Exception {
        RegistryConfig registry = RegistryConfig.of(registryProxy.url() + "/")
                .withBasicAuth(REGISTRY_USER + ":" + REGISTRY_PASSWORD)
                .withTls(RegistryTls.truststore(pki.truststore().toString(), pki.password()));
        PipelineHarness h = plain.on(kafka.bootstrapServers(SecureKafka.SASL_SSL),
                SecureKafka.saslSslClient(pki, KAFKA_USER, KAFKA_PASSWORD), registry);
        Configuration options = options(h);
        LatentFlowOptions.setKafkaProperties(options, h.kafkaProperties);
        options.set(LatentFlowOptions.REGISTRY_URL, registryProxy.url());
        options.set(LatentFlowOptions.REGISTRY_BASIC_AUTH, REGISTRY_USER + ":" + REGISTRY_PASSWORD);
        options.set(LatentFlowOptions.REGISTRY_TRUSTSTORE, pki.truststore().toString());
        options.set(LatentFlowOptions.REGISTRY_TRUSTSTORE_PASSWORD, pki.password());
        int forwardedBefore = registryProxy.forwarded();
        runExactlyOnce(h, options, "sasl");
        assertTrue(registryProxy.forwarded() > forwardedBefore, "the job and serdes used the secured registry");
        h.close();
    }

    @Test
    @Order(2)
    void mutualTlsKafkaWithThePropertiesFromAFile() throws Exception {
        PipelineHarness h = plain.on(kafka.bootstrapServers(SecureKafka.MTLS), SecureKafka.mtlsClient(pki),
                plain.registryConfig());
        // this time the security properties come from a file (--kafka-properties-file), not the arguments
        java.util.Properties file = new java.util.Properties();
        file.putAll(h.kafkaProperties);
        Path clientProperties = work.resolve("mtls-client.properties");
        try (java.io.Writer w = java.nio.file.Files.newBufferedWriter(clientProperties)) {
            file.store(w, null);
        }
        Configuration options = options(h);
        options.set(LatentFlowOptions.KAFKA_PROPERTIES_FILE, clientProperties.toString());
        runExactlyOnce(h, options, "mtls");
        h.close();
    }

    @Test
    @Order(3)
    void aClientWithAWrongPasswordIsRefused() {
        Map<String, Object> p = new HashMap<>(SecureKafka.saslSslClient(pki, KAFKA_USER, "wrong-" + KAFKA_PASSWORD));
        p.put("bootstrap.servers", kafka.bootstrapServers(SecureKafka.SASL_SSL));
        p.put("group.id", "intruder");
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            c.subscribe(List.of(OUT + "-sasl"));
            SaslAuthenticationException e = assertThrows(SaslAuthenticationException.class,
                    () -> c.poll(Duration.ofSeconds(20)));
            exceptionMessages.add(String.valueOf(e.getMessage()));
        }
    }

    @Test
    @Order(4)
    void noSecretInAnyLogLineExceptionOrOptionsDump() {
        String text = logs.text();
        assertTrue(text.contains("sasl.jaas.config = [hidden]"), "the Kafka clients' config dumps were captured ("
                + logs.events() + " log events)");
        List<String> secrets = List.of(KAFKA_PASSWORD, REGISTRY_PASSWORD, pki.password());
        for (String secret : secrets) {
            assertFalse(text.contains(secret), "a secret in the logs, near: " + around(text, secret));
            for (String m : exceptionMessages) {
                assertFalse(m.contains(secret), m);
            }
            for (String dump : optionDumps) {
                assertFalse(dump.contains(secret), dump);
            }
        }
        assertEquals(2, optionDumps.size());
    }

    private Configuration options(PipelineHarness h) {
        Configuration options = new Configuration();
        options.set(LatentFlowOptions.BOOTSTRAP_SERVERS, h.bootstrapServers);
        options.set(LatentFlowOptions.REGISTRY_URL, h.registryUrl);
        options.set(LatentFlowOptions.MODEL_DIR, h.modelDir.toString());
        options.set(LatentFlowOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(500));
        options.set(LatentFlowOptions.RESTART_ATTEMPTS, 1);
        return options;
    }

    private void runExactlyOnce(PipelineHarness h, Configuration options, String suffix) throws Exception {
        Path spec = h.spec(work, SPEC, suffix, IN, OUT, DLQ);
        options.set(LatentFlowOptions.SPEC, List.of(spec.toString()));
        optionDumps.add(options.toString());
        String in = IN + "-" + suffix;
        SampleEvents samples = new SampleEvents(7);
        List<PipelineHarness.Raw> events = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            SampleEvents.Keyed e = samples.logistics(5);
            events.add(h.avroRecord(in, e.key(), e.value()));
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        LatentFlowJob.buildPipeline(env, options);
        JobClient job = env.executeAsync("secure " + suffix);
        try {
            List<RecordMetadata> produced = h.produce(in, events);
            List<ConsumerRecord<byte[], byte[]>> out = h.readCommitted(List.of(OUT + "-" + suffix,
                    DLQ + "-" + suffix), EVENTS, Duration.ofSeconds(180));
            ConfluentAvroDeserializer<InferenceResult> results =
                    ConfluentAvroDeserializer.specific(h.registryConfig(), InferenceResult.class);
            Set<String> want = new HashSet<>();
            produced.forEach(m -> want.add(m.partition() + "@" + m.offset()));
            List<String> got = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : out) {
                assertTrue(r.topic().startsWith(OUT), "no dead letters: " + r.topic());
                InferenceResult result = results.deserialize(r.value());
                got.add(result.getSourcePartition() + "@" + result.getSourceOffset());
            }
            assertEquals(EVENTS, got.size(), "one result per event under read_committed over " + suffix);
            assertEquals(want, new HashSet<>(got));
        } finally {
            job.cancel().get();
        }
    }

    private static String around(String text, String secret) {
        int i = text.indexOf(secret);
        return text.substring(Math.max(0, i - 300), Math.min(text.length(), i + 100));
    }
}
