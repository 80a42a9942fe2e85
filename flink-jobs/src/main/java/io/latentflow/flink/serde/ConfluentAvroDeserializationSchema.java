package io.latentflow.flink.serde;

import io.latentflow.schemas.ConfluentAvroDeserializer;
import io.latentflow.schemas.RegistryConfig;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * Confluent-framed Avro as a Flink {@link DeserializationSchema}, for jobs of your own that read
 * LatentFlow's topics (e.g. the InferenceResults) with any Flink source. Decoding failures throw
 * the schemas module's WireFormatException, which names what was wrong with the payload.
 */
public final class ConfluentAvroDeserializationSchema<T> implements DeserializationSchema<T> {
    private final ConfluentAvroDeserializer<T> deserializer;
    private final Class<T> type;

    private ConfluentAvroDeserializationSchema(ConfluentAvroDeserializer<T> deserializer, Class<T> type) {
        this.deserializer = deserializer;
        this.type = type;
    }

    /** Records read into a generated SpecificRecord class (the writer schema resolved to it). */
    public static <T extends SpecificRecord> ConfluentAvroDeserializationSchema<T> forSpecific(
            RegistryConfig registry, Class<T> type) {
        return new ConfluentAvroDeserializationSchema<>(ConfluentAvroDeserializer.specific(registry, type), type);
    }

    /** Records read with their writer's schema as GenericRecords. */
    public static ConfluentAvroDeserializationSchema<GenericRecord> forGeneric(RegistryConfig registry) {
        return new ConfluentAvroDeserializationSchema<>(ConfluentAvroDeserializer.generic(registry, null),
                GenericRecord.class);
    }

    @Override
    public T deserialize(byte[] message) {
        return deserializer.deserialize(message);
    }

    @Override
    public boolean isEndOfStream(T next) {
        return false;
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return TypeInformation.of(type);
    }
}
