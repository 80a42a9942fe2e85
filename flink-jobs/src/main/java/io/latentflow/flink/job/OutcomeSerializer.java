package io.latentflow.flink.job;

import io.latentflow.flink.spec.PipelineSpec;
import io.latentflow.schemas.ConfluentAvroSerializer;
import io.latentflow.schemas.RegistryConfig;
import io.latentflow.schemas.avro.DeadLetter;
import io.latentflow.schemas.avro.InferenceResult;
import io.latentflow.schemas.avro.InferenceTask;
import io.latentflow.schemas.avro.LabelProbability;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes an outcome as the Avro InferenceResult to the output topic, or as the Avro DeadLetter to
 * the dead-letter topic, in the Confluent wire format, keyed by the event key so that one key's
 * results stay in one partition and in order.
 *
 * <p>A dead letter must always fit in one Kafka request (the producer's default max.request.size is 1 MiB), or the
 * sink would fail the job over and over on the same record: it keeps the original key and value only while they
 * total at most {@link #MAX_ORIGINAL_BYTES} (the coordinates still point at the record) and cuts the error message
 * at {@link #MAX_MESSAGE_CHARS}, saying so in the message.
 */
public final class OutcomeSerializer implements KafkaRecordSerializationSchema<Outcome> {
    /** Original key plus value bytes a dead letter keeps at most; leaves room for the rest in a 1 MiB request. */
    static final int MAX_ORIGINAL_BYTES = 900 * 1024;
    /** Error message characters a dead letter keeps at most. */
    static final int MAX_MESSAGE_CHARS = 8 * 1024;

    private final PipelineSpec spec;
    private final ConfluentAvroSerializer<SpecificRecord> values;

    public OutcomeSerializer(PipelineSpec spec, RegistryConfig registry) {
        this.spec = spec;
        this.values = new ConfluentAvroSerializer<>(registry, true);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(Outcome o, KafkaSinkContext context, Long timestamp) {
        String topic = o.deadLetter ? spec.output().deadLetterTopic() : spec.output().topic();
        byte[] key = o.eventKey != null ? o.eventKey.getBytes(StandardCharsets.UTF_8) : o.source.key;
        SpecificRecord value = o.deadLetter ? deadLetter(o) : result(o);
        return new ProducerRecord<>(topic, null, o.source.timestamp, key, values.serialize(topic, false, value));
    }

    private static InferenceResult result(Outcome o) {
        List<LabelProbability> distribution = new ArrayList<>();
        for (int i = 0; i < o.labels.length; i++) {
            distribution.add(new LabelProbability(o.labels[i], o.probabilities[i]));
        }
        return InferenceResult.newBuilder()
                .setSourceTopic(o.source.topic)
                .setSourcePartition(o.source.partition)
                .setSourceOffset(o.source.offset)
                .setEventKey(o.eventKey)
                .setPipeline(o.pipeline)
                .setModelId(o.modelId)
                .setModelContentHash(o.modelHash)
                .setTask(InferenceTask.valueOf(o.task))
                .setLabel(o.label)
                .setLabelDistribution(distribution)
                .setGeneratedText(o.generatedText)
                .setPromptTokens(o.promptTokens)
                .setGeneratedTokens(o.generatedTokens)
                .setQueueLatencyMs(Math.round(o.queueMs))
                .setComputeLatencyMs(Math.round(o.computeMs))
                .setBatchId(o.batchId)
                .setEventTime(Instant.ofEpochMilli(o.source.timestamp))
                .setInferenceTime(Instant.ofEpochMilli(o.inferenceTime))
                .build();
    }

    static DeadLetter deadLetter(Outcome o) {
        byte[] key = o.source.key;
        byte[] value = o.source.value;
        String message = o.errorMessage;
        if (message.length() > MAX_MESSAGE_CHARS) {
            message = message.substring(0, MAX_MESSAGE_CHARS) + "... (" + message.length() + " characters, cut)";
        }
        long original = (key != null ? key.length : 0L) + (value != null ? value.length : 0L);
        if (original > MAX_ORIGINAL_BYTES) {
            message += " [original key and value (" + original + " bytes) not kept: over the dead-letter limit of "
                    + MAX_ORIGINAL_BYTES + " bytes; read them at the source coordinates]";
            key = null;
            value = null;
        }
        return DeadLetter.newBuilder()
                .setOriginalKey(key != null ? ByteBuffer.wrap(key) : null)
                .setOriginalValue(value != null ? ByteBuffer.wrap(value) : null)
                .setSourceTopic(o.source.topic)
                .setSourcePartition(o.source.partition)
                .setSourceOffset(o.source.offset)
                .setErrorClass(o.errorClass)
                .setErrorMessage(message)
                .setPipeline(o.pipeline)
                .setDeadLetterTime(Instant.ofEpochMilli(o.deadLetterTime))
                .build();
    }
}
