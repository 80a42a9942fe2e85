package io.latentflow.flink.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.latentflow.embedded.Services;
import io.latentflow.engine.init.RandomCheckpoint;
import io.latentflow.schemas.ConfluentAvroDeserializer;
import io.latentflow.schemas.ConfluentAvroSerializer;
import io.latentflow.schemas.RegistryConfig;
import io.latentflow.schemas.avro.DeadLetter;
import io.latentflow.schemas.avro.InferenceResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The pipeline tests' services, by address (a Kafka bootstrap.servers and a Confluent-REST registry URL),
 * a tiny model, and producing and read_committed reading helpers. {@link #embedded} starts the embedded
 * broker and Apicurio; other services (e.g. containers) are passed in by address.
 */
final class PipelineHarness implements AutoCloseable {
    final String bootstrapServers;
    final String registryUrl;
    final Path modelDir;
    final ConfluentAvroSerializer<Object> avro;
    /** Security properties of every Kafka client here (admin, producer, verifier); the job gets them too. */
    final Map<String, String> kafkaProperties;
    private final RegistryConfig registry;
    /** The embedded broker and registry, for fault injection; null when the services were passed in. */
    Services services;
    private final AutoCloseable owned;

    /**
     * @param registryUrl the registry's Confluent-compatible base URL (schema.registry.url)
     * @param owned       closed with the harness (the services it was given), or null
     */
    PipelineHarness(Path workDir, String bootstrapServers, String registryUrl, AutoCloseable owned) {
        this(bootstrapServers, Map.of(), RegistryConfig.of(registryUrl), writeModel(workDir), owned);
    }

    private PipelineHarness(String bootstrapServers, Map<String, String> kafkaProperties, RegistryConfig registry,
                            Path modelDir, AutoCloseable owned) {
        this.bootstrapServers = bootstrapServers;
        this.kafkaProperties = Map.copyOf(kafkaProperties);
        this.registry = registry;
        this.registryUrl = registry.url();
        this.owned = owned;
        this.modelDir = modelDir;
        avro = new ConfluentAvroSerializer<>(registryConfig(), true);
    }

    private static Path writeModel(Path workDir) {
        Path dir = workDir.resolve("tiny");
        RandomCheckpoint.writeWithTokenizer(RandomCheckpoint.Preset.TINY, RandomCheckpoint.Variant.V3, 11, dir);
        return dir;
    }

    /**
     * The same model on other addresses: a Kafka listener with its client security properties, and a registry
     * (e.g. behind TLS and basic auth). Closing it closes only its own serializer.
     */
    PipelineHarness on(String bootstrap, Map<String, String> clientProperties, RegistryConfig registryConfig) {
        return new PipelineHarness(bootstrap, clientProperties, registryConfig, modelDir, null);
    }

    /** bootstrap.servers and the security properties, for a Kafka client. */
    private Properties client() {
        Properties p = new Properties();
        p.putAll(kafkaProperties);
        p.put("bootstrap.servers", bootstrapServers);
        return p;
    }

    /** On the embedded KRaft broker and Apicurio registry, started here and stopped by {@link #close()}. */
    static PipelineHarness embedded(Path workDir) {
        Services services = Services.start();
        try {
            PipelineHarness h = new PipelineHarness(workDir, services.bootstrapServers(), services.schemaRegistryUrl(),
                    services);
            h.services = services;
            return h;
        } catch (RuntimeException e) {
            services.close();
            throw e;
        }
    }

    /**
     * The job's options on these services and model: one spec, a checkpoint every 500 ms, restarts from 200 ms
     * (doubling, see {@link LatentFlowOptions#RESTART_DELAY}).
     */
    Configuration jobOptions(Path spec) {
        Configuration options = new Configuration();
        options.set(LatentFlowOptions.SPEC, List.of(spec.toString()));
        options.set(LatentFlowOptions.BOOTSTRAP_SERVERS, bootstrapServers);
        options.set(LatentFlowOptions.REGISTRY_URL, registryUrl);
        options.set(LatentFlowOptions.MODEL_DIR, modelDir.toString());
        options.set(LatentFlowOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(500));
        options.set(LatentFlowOptions.RESTART_DELAY, Duration.ofMillis(200));
        return options;
    }

    /** What a pipeline published, decoded: results (with their records) and dead letters. */
    record Outputs(List<InferenceResult> results, List<ConsumerRecord<byte[], byte[]>> resultRecords,
                   List<DeadLetter> deadLetters) {
    }

    /**
     * Reads a pipeline's result and dead-letter topics under read_committed until {@code expected} records came
     * (then a little longer, so that duplicates would show) or the timeout passed, and decodes them.
     */
    Outputs outputs(String resultTopic, String deadLetterTopic, int expected, Duration timeout) {
        ConfluentAvroDeserializer<InferenceResult> results =
                ConfluentAvroDeserializer.specific(registryConfig(), InferenceResult.class);
        ConfluentAvroDeserializer<DeadLetter> letters =
                ConfluentAvroDeserializer.specific(registryConfig(), DeadLetter.class);
        Outputs out = new Outputs(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (ConsumerRecord<byte[], byte[]> rec : readCommitted(List.of(resultTopic, deadLetterTopic), expected, timeout)) {
            if (rec.topic().equals(resultTopic)) {
                out.results().add(results.deserialize(rec.value()));
                out.resultRecords().add(rec);
            } else {
                out.deadLetters().add(letters.deserialize(rec.value()));
            }
        }
        return out;
    }

    /** Exactly one result per produced event (by partition and offset), none duplicated, under read_committed. */
    static void assertExactlyOnce(List<RecordMetadata> produced, Outputs out) {
        Set<String> expected = new HashSet<>();
        produced.forEach(m -> expected.add(m.partition() + "@" + m.offset()));
        List<String> got = out.results().stream().map(r -> r.getSourcePartition() + "@" + r.getSourceOffset()).toList();
        assertEquals(produced.size(), got.size(), "exactly one result per event under read_committed; dead letters: "
                + out.deadLetters());
        assertEquals(expected, new HashSet<>(got), "every event has its result, none duplicated");
    }

    RegistryConfig registryConfig() {
        return registry;
    }

    /** The shipped spec with its name and topics suffixed, so each test has fresh topics and consumer groups. */
    Path spec(Path dir, String shipped, String suffix, String... topics) throws Exception {
        String yaml = Files.readString(Path.of("..", "pipelines", shipped));
        yaml = yaml.replaceFirst("name: (\\S+)", "name: $1-" + suffix);
        for (String t : topics) {
            yaml = yaml.replace(t, t + "-" + suffix);
            createTopic(t + "-" + suffix, 3);
        }
        Path file = dir.resolve(suffix + "-" + shipped);
        Files.writeString(file, yaml);
        return file;
    }

    /** Creates a topic (replication factor 1) and waits until the broker has it. */
    void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = Admin.create(client())) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** A record to produce: key and already encoded value bytes. */
    record Raw(String key, byte[] value) {
    }

    Raw avroRecord(String topic, String key, Object value) {
        return new Raw(key, avro.serialize(topic, false, value));
    }

    /** Produces in order, waiting for each; returns where each landed. */
    List<RecordMetadata> produce(String topic, List<Raw> records) throws Exception {
        Properties p = client();
        p.put("enable.idempotence", "true");
        List<RecordMetadata> out = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (Raw r : records) {
                byte[] key = r.key() == null ? null : r.key().getBytes(StandardCharsets.UTF_8);
                out.add(producer.send(new ProducerRecord<>(topic, key, r.value())).get());
            }
        }
        return out;
    }

    /**
     * Reads topics with isolation.level=read_committed until {@code expected} records arrived (then a
     * little longer, so duplicates would show) or the timeout passed.
     */
    List<ConsumerRecord<byte[], byte[]>> readCommitted(List<String> topics, int expected, Duration timeout) {
        Properties p = client();
        p.put("group.id", "verifier-" + System.nanoTime());
        p.put("auto.offset.reset", "earliest");
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(topics);
            long deadline = System.nanoTime() + timeout.toNanos();
            long settleUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settleUntil)) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
                if (out.size() >= expected && settleUntil == Long.MAX_VALUE) {
                    settleUntil = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        avro.close();
        if (owned != null) {
            try {
                owned.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing " + owned, e);
            }
        }
    }
}
