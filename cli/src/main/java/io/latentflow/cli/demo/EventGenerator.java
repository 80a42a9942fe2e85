package io.latentflow.cli.demo;

import io.latentflow.flink.samples.BadRecords;
import io.latentflow.flink.spec.PipelineSpec;
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
 * what the broker acknowledged. With {@code injectBad} > 0 it also plants that many bad records
 * ({@link BadRecords}, cycling through the kinds that apply to the pipeline), one after each of the first
 * good events and any left at the end; they count in {@link #sent()} and {@link #badSent()}.
 */
final class EventGenerator implements Runnable {
    private final PipelineSpec spec;
    private final String topic;
    private final Function<SampleEvents, SampleEvents.Keyed> next;
    private final String bootstrap;
    private final RegistryConfig registry;
    private final double ratePerSecond;
    private final long maxEvents;
    private final long durationMs;
    private final long seed;
    private final int injectBad;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong badSent = new AtomicLong();
    private volatile boolean stopped;

    EventGenerator(PipelineSpec spec, Function<SampleEvents, SampleEvents.Keyed> next, String bootstrap,
                   RegistryConfig registry, double ratePerSecond, long maxEvents, long durationMs, long seed,
                   int injectBad) {
        this.spec = spec;
        this.topic = spec.source().topic();
        this.injectBad = injectBad;
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

    /** The bad records among {@link #sent()}. */
    long badSent() {
        return badSent.get();
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
        int planted = 0;
        try (ConfluentAvroSerializer<Object> avro = new ConfluentAvroSerializer<>(registry, true);
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                     new ByteArraySerializer())) {
            BadRecords bad = new BadRecords(spec, avro);
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
                send(producer, e.key(), avro.serialize(topic, false, e.value()), false);
                if (planted < injectBad) {
                    plant(producer, bad, samples, planted++);
                }
            }
            while (planted < injectBad && !stopped) {
                plant(producer, bad, samples, planted++);
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void plant(KafkaProducer<byte[], byte[]> producer, BadRecords bad, SampleEvents samples, int n) {
        java.util.List<BadRecords.Kind> kinds = bad.kinds();
        BadRecords.Bad b = bad.make(kinds.get(n % kinds.size()), next.apply(samples));
        send(producer, b.key(), b.value(), true);
    }

    private void send(KafkaProducer<byte[], byte[]> producer, String key, byte[] value, boolean isBad) {
        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value), (m, error) -> {
            if (error == null) {
                sent.incrementAndGet();
                if (isBad) {
                    badSent.incrementAndGet();
                }
            }
        });
    }
}
