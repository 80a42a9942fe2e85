package io.latentflow.flink.job;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Keeps every record as raw bytes with its coordinates: decoding happens later, where failures become dead letters. */
public final class SourceRecordDeserializer implements KafkaRecordDeserializationSchema<RawEvent> {

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> r, Collector<RawEvent> out) {
        out.collect(new RawEvent(r.topic(), r.partition(), r.offset(), r.timestamp(), r.key(), r.value()));
    }

    @Override
    public TypeInformation<RawEvent> getProducedType() {
        return TypeInformation.of(RawEvent.class);
    }
}
