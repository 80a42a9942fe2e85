package io.latentflow.flink.serde;

import io.latentflow.schemas.ConfluentAvroSerializer;
import io.latentflow.schemas.RegistryConfig;
import org.apache.flink.api.common.serialization.SerializationSchema;

/**
 * Avro records as Confluent-framed bytes, a Flink {@link SerializationSchema}: the writer schema is
 * registered (or looked up) under the subject {@code <topic>-value}.
 */
public final class ConfluentAvroSerializationSchema<T> implements SerializationSchema<T> {
    private final ConfluentAvroSerializer<T> serializer;
    private final String topic;

    public ConfluentAvroSerializationSchema(RegistryConfig registry, String topic, boolean autoRegister) {
        this.serializer = new ConfluentAvroSerializer<>(registry, autoRegister);
        this.topic = topic;
    }

    @Override
    public byte[] serialize(T element) {
        return serializer.serialize(topic, false, element);
    }
}
