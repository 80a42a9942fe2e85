package io.latentflow.embedded;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Kafka and the schema registry for the demo, started in parallel (the registry's JVM start-up overlaps the
 * broker's), closed together.
 */
public final class Services implements AutoCloseable {
    private final EmbeddedKafka kafka;
    private final EmbeddedApicurio registry;

    private Services(EmbeddedKafka kafka, EmbeddedApicurio registry) {
        this.kafka = kafka;
        this.registry = registry;
    }

    /** Starts both; if one fails the other is closed and the failure is thrown. */
    public static Services start() {
        return start(EmbeddedKafka.builder(), EmbeddedApicurio.builder());
    }

    /** Starts both from the given builders. */
    public static Services start(EmbeddedKafka.Builder kafkaBuilder, EmbeddedApicurio.Builder registryBuilder) {
        CompletableFuture<EmbeddedApicurio> registry = CompletableFuture.supplyAsync(registryBuilder::start);
        EmbeddedKafka kafka;
        try {
            kafka = kafkaBuilder.start();
        } catch (RuntimeException e) {
            registry.thenAccept(EmbeddedApicurio::close);
            throw e;
        }
        try {
            return new Services(kafka, registry.join());
        } catch (CompletionException e) {
            kafka.close();
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    public EmbeddedApicurio registry() {
        return registry;
    }

    /** Kafka's bootstrap.servers. */
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** The registry's Confluent-compatible URL (schema.registry.url). */
    public String schemaRegistryUrl() {
        return registry.confluentApiUrl();
    }

    /** Closes the registry and the broker; a failure of one does not keep the other running. */
    @Override
    public void close() {
        try {
            registry.close();
        } finally {
            kafka.close();
        }
    }
}
