package io.latentflow.cli.demo;

import io.latentflow.schemas.ConfluentAvroSerializer;
import io.latentflow.schemas.RegistryConfig;
import io.latentflow.schemas.samples.SampleEvents;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces one stream's sample events (Confluent-framed Avro) at a steady rate, until it has sent
 * {@code maxEvents} or {@code durationMs} has passed. Runs on its own thread; {@link #sent()} counts
 * what the broker acknowledged.
 */
final class EventGenerator implements Runnable {
    private final String topic;
    private final Function<SampleEvents, SampleEvents.Keyed> next;
    private final String bootstrap;
    private final RegistryConfig registry;
    private final double ratePerSecond;
    private final long maxEvents;
    private final long durationMs;
    private final long seed;
    private final AtomicLong sent = new AtomicLong();
    private volatile boolean stopped;

    EventGenerator(String topic, Function<SampleEvents, SampleEvents.Keyed> next, String bootstrap,
                   RegistryConfig registry, double ratePerSecond, long maxEvents, long durationMs, long seed) {
        this.topic = topic;
        this.next = next;
        this.bootstrap = bootstrap;
        this.registry = registry;
        this.ratePerSecond = ratePerSecond;
        this.maxEvents = maxEvents;
        this.durationMs = durationMs;
        this.seed = seed;
    }

    long sent() {
        return sent.get();
    }

    void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("enable.idempotence", "true");
        SampleEvents samples = new SampleEvents(seed);
        long start = System.nanoTime();
        try (ConfluentAvroSerializer<Object> avro = new ConfluentAvroSerializer<>(registry, true);
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                     new ByteArraySerializer())) {
            for (long i = 0; !stopped && i < maxEvents; i++) {
                long due = start + (long) (i * 1e9 / ratePerSecond);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                if ((System.nanoTime() - start) / 1_000_000 >= durationMs) {
                    break;
                }
                SampleEvents.Keyed e = next.apply(samples);
                producer.send(new ProducerRecord<>(topic, e.key().getBytes(StandardCharsets.UTF_8),
                        avro.serialize(topic, false, e.value())), (m, error) -> {
                            if (error == null) {
                                sent.incrementAndGet();
                            }
                        });
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
