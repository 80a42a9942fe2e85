package io.latentflow.flink.job;

import io.latentflow.schemas.ConfluentAvroDeserializer;
import io.latentflow.schemas.RegistryConfig;
import org.apache.avro.generic.GenericRecord;

/** Confluent-framed Avro through the schema registry, decoded with the writer's own schema. */
public final class RegistryRecordDecoder implements RecordDecoder {
    private final RegistryConfig registry;
    private transient ConfluentAvroDeserializer<GenericRecord> deserializer;

    public RegistryRecordDecoder(RegistryConfig registry) {
        this.registry = registry;
    }

    @Override
    public GenericRecord decode(String topic, byte[] value) {
        if (deserializer == null) {
            deserializer = ConfluentAvroDeserializer.generic(registry, null);
        }
        return deserializer.deserialize(value);
    }
}
