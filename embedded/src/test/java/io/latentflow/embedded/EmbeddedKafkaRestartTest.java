package io.latentflow.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link EmbeddedKafka#restart()}: same address, same storage; a transactional producer carries on. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedKafkaRestartTest {

    @Test
    void aRestartKeepsTheAddressTopicsAndCommittedRecordsAndTransactionsGoOn() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            String address = kafka.bootstrapServers();
            kafka.createTopic("kept", 2);
            try (KafkaProducer<String, String> producer = producer(kafka)) {
                producer.initTransactions();
                send(producer, "before-", 3);
                kafka.restart();
                assertEquals(address, kafka.bootstrapServers());
                send(producer, "after-", 2); // the same producer: its client reconnects to the restarted broker
            }
            List<String> values = readCommitted(kafka, 5);
            assertEquals(List.of("after-0", "after-1", "before-0", "before-1", "before-2"),
                    values.stream().sorted().toList());
        }
    }

    private static KafkaProducer<String, String> producer(EmbeddedKafka kafka) {
        return new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "restart-test-tx",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
    }

    private static void send(KafkaProducer<String, String> producer, String prefix, int n) {
        producer.beginTransaction();
        for (int i = 0; i < n; i++) {
            producer.send(new ProducerRecord<>("kept", "k" + i, prefix + i));
        }
        producer.commitTransaction();
    }

    private static List<String> readCommitted(EmbeddedKafka kafka, int expected) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "restart-test",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
            consumer.subscribe(List.of("kept"));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
            }
        }
        return values;
    }
}
