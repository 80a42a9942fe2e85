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
 */
public final class OutcomeSerializer implements KafkaRecordSerializationSchema<Outcome> {
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

    private static DeadLetter deadLetter(Outcome o) {
        return DeadLetter.newBuilder()
                .setOriginalKey(o.source.key != null ? ByteBuffer.wrap(o.source.key) : null)
                .setOriginalValue(o.source.value != null ? ByteBuffer.wrap(o.source.value) : null)
                .setSourceTopic(o.source.topic)
                .setSourcePartition(o.source.partition)
                .setSourceOffset(o.source.offset)
                .setErrorClass(o.errorClass)
                .setErrorMessage(o.errorMessage)
                .setPipeline(o.pipeline)
                .setDeadLetterTime(Instant.ofEpochMilli(o.deadLetterTime))
                .build();
    }
}
