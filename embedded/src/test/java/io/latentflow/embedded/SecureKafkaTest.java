package io.latentflow.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded broker with a SASL_SSL (SCRAM-SHA-512) and a mutual-TLS listener: clients with the right
 * credentials produce and consume; a wrong SCRAM password and a TLS client without a certificate are refused.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SecureKafkaTest {
    private static final String USER = "pipeline";
    private static final String PASSWORD = "scram-secret-4711";

    @TempDir
    static Path dir;
    private static TestPki pki;
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void start() {
        long t0 = System.nanoTime();
        pki = TestPki.generate(dir.resolve("pki"));
        long t1 = System.nanoTime();
        kafka = SecureKafka.configure(EmbeddedKafka.builder(), pki, USER, PASSWORD).start();
        System.out.printf("PKI in %d ms, secured broker in %d ms%n", (t1 - t0) / 1_000_000,
                (System.nanoTime() - t1) / 1_000_000);
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void scramOverTlsProducesAndConsumes() {
        roundTrip("sasl-topic", kafka.bootstrapServers(SecureKafka.SASL_SSL),
                SecureKafka.saslSslClient(pki, USER, PASSWORD));
    }

    @Test
    void mutualTlsProducesAndConsumes() {
        roundTrip("mtls-topic", kafka.bootstrapServers(SecureKafka.MTLS), SecureKafka.mtlsClient(pki));
    }

    /**
     * Kafka's FileConfigProvider resolves {@code ${file:PATH:KEY}} in each client, so the secret can live in a file
     * on the task managers only and never enter the arguments or the job graph.
     */
    @Test
    void theJaasConfigCanComeFromAFileThroughKafkasConfigProvider() throws Exception {
        Path secrets = dir.resolve("kafka-secrets.properties");
        java.util.Properties p = new java.util.Properties();
        p.setProperty("sasl.jaas.config", SecureKafka.saslSslClient(pki, USER, PASSWORD).get("sasl.jaas.config"));
        try (java.io.Writer w = java.nio.file.Files.newBufferedWriter(secrets)) {
            p.store(w, null);
        }
        Map<String, String> client = SecureKafka.saslSslClient(pki, USER, PASSWORD);
        client.put("config.providers", "file");
        client.put("config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider");
        client.put("sasl.jaas.config", "${file:" + secrets + ":sasl.jaas.config}");
        roundTrip("provider-topic", kafka.bootstrapServers(SecureKafka.SASL_SSL), client);
    }

    @Test
    void aWrongScramPasswordIsRefused() {
        refused(kafka.bootstrapServers(SecureKafka.SASL_SSL), SecureKafka.saslSslClient(pki, USER, "wrong"));
    }

    @Test
    void aTlsClientWithoutCertificateIsRefusedByTheMutualTlsListener() {
        Map<String, String> noCert = SecureKafka.trusting(pki);
        noCert.put("security.protocol", "SSL");
        refused(kafka.bootstrapServers(SecureKafka.MTLS), noCert);
    }

    private static void roundTrip(String topic, String bootstrap, Map<String, String> security) {
        kafka.createTopic(topic, 1);
        Map<String, Object> p = new HashMap<>(security);
        p.put("bootstrap.servers", bootstrap);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "k", "secured")).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("producing over " + security.get("security.protocol") + " failed", e);
        }
        Map<String, Object> c = new HashMap<>(p);
        c.put("group.id", "g-" + topic);
        c.put("auto.offset.reset", "earliest");
        List<ConsumerRecord<String, String>> got = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (got.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(got::add);
            }
        }
        assertEquals(1, got.size());
        assertEquals("secured", got.get(0).value());
    }

    private static void refused(String bootstrap, Map<String, String> security) {
        Map<String, Object> p = new HashMap<>(security);
        p.put("bootstrap.servers", bootstrap);
        p.put("default.api.timeout.ms", "15000");
        p.put("request.timeout.ms", "10000");
        try (Admin admin = Admin.create(p)) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> admin.describeCluster().nodes().get(20, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof AuthenticationException, "an authentication failure: " + e.getCause());
        }
    }
}
