package io.latentflow.cli.demo;

import io.latentflow.schemas.ConfluentAvroDeserializer;
import io.latentflow.schemas.RegistryConfig;
import io.latentflow.schemas.avro.InferenceResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts what the pipelines really published: a read_committed consumer of every result and
 * dead-letter topic, so the demo's figures are what a downstream consumer sees, not the job's own
 * counters. Also measures end-to-end latency (event time to visible result) and tokens.
 */
final class OutputCounter implements Runnable {

    /** One pipeline's figures so far. Guarded by the counter. */
    static final class Figures {
        long results;
        long deadLetters;
        long tokens;
        final List<Long> latenciesMs = new ArrayList<>();

        synchronized long percentile(double p) {
            if (latenciesMs.isEmpty()) {
                return 0;
            }
            List<Long> sorted = new ArrayList<>(latenciesMs);
            Collections.sort(sorted);
            return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
        }
    }

    private final String bootstrap;
    private final ConfluentAvroDeserializer<InferenceResult> results;
    private final Map<String, String> pipelineOfResultTopic = new HashMap<>();
    private final Map<String, String> pipelineOfDeadLetterTopic = new HashMap<>();
    private final Map<String, Figures> figures = new HashMap<>();
    private volatile boolean stopped;

    OutputCounter(String bootstrap, RegistryConfig registry) {
        this.bootstrap = bootstrap;
        this.results = ConfluentAvroDeserializer.specific(registry, InferenceResult.class);
    }

    void watch(String pipeline, String resultTopic, String deadLetterTopic) {
        pipelineOfResultTopic.put(resultTopic, pipeline);
        pipelineOfDeadLetterTopic.put(deadLetterTopic, pipeline);
        figures.put(pipeline, new Figures());
    }

    Figures figures(String pipeline) {
        return figures.get(pipeline);
    }

    void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("group.id", "latentflow-demo-counter-" + System.nanoTime());
        p.put("auto.offset.reset", "earliest");
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        List<String> topics = new ArrayList<>(pipelineOfResultTopic.keySet());
        topics.addAll(pipelineOfDeadLetterTopic.keySet());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(topics);
            while (!stopped) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    count(r);
                }
            }
        }
    }

    private void count(ConsumerRecord<byte[], byte[]> r) {
        String pipeline = pipelineOfResultTopic.get(r.topic());
        if (pipeline != null) {
            Figures f = figures.get(pipeline);
            InferenceResult result = results.deserialize(r.value());
            synchronized (f) {
                f.results++;
                f.tokens += result.getPromptTokens() + result.getGeneratedTokens();
                if (result.getEventTime() != null) {
                    f.latenciesMs.add(System.currentTimeMillis() - result.getEventTime().toEpochMilli());
                }
            }
        } else {
            Figures f = figures.get(pipelineOfDeadLetterTopic.get(r.topic()));
            synchronized (f) {
                f.deadLetters++;
            }
        }
    }
}
