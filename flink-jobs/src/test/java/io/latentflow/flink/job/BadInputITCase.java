package io.latentflow.flink.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentflow.flink.samples.BadRecords;
import io.latentflow.flink.spec.PipelineSpecParser;
import io.latentflow.schemas.ConfluentAvroDeserializer;
import io.latentflow.schemas.avro.DeadLetter;
import io.latentflow.schemas.avro.InferenceResult;
import io.latentflow.schemas.samples.SampleEvents;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every record-level kind of docs/bad-input.md ({@link BadRecords.Kind}) planted at once among good events of the
 * logistics pipeline, in one job run: each bad record lands in the dead-letter topic with its coordinates, its
 * original bytes and a reason naming the problem, and every good event still gets exactly one result. The spec's
 * template is cut down to fields and spaces ({@code {carrier} {lane.origin} {site}}) so that an empty prompt is
 * possible, which also keeps the prompts short.
 */
@Timeout(300)
class BadInputITCase {
    private static final int GOOD = 20;
    private static final String IN = "logistics.events";
    private static final String OUT = "planner.delay-risk";
    private static final String DLQ = "logistics.dead-letters";

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @Test
    void everyKindOfBadRecordIsADeadLetterWithItsReasonAndEveryGoodEventGetsItsResult(@TempDir Path work)
            throws Exception {
        try (PipelineHarness h = PipelineHarness.embedded(work)) {
            String suffix = "badinput";
            Path spec = h.spec(work, "logistics-delay-risk.yaml", suffix, IN, OUT, DLQ);
            String yaml = Files.readString(spec).replaceFirst("(?s)  template: >-\\n.*?\\ntask:",
                    "  template: \"{carrier} {lane.origin} {site}\"\ntask:");
            Files.writeString(spec, yaml);
            String in = IN + "-" + suffix;

            SampleEvents samples = new SampleEvents(7);
            List<PipelineHarness.Raw> good = new ArrayList<>();
            for (int i = 0; i < GOOD; i++) {
                SampleEvents.Keyed e = samples.logistics(5);
                good.add(h.avroRecord(in, e.key(), e.value()));
            }
            BadRecords catalogue = new BadRecords(PipelineSpecParser.parse(spec), h.avro);
            List<BadRecords.Bad> bad = new ArrayList<>();
            for (BadRecords.Kind kind : catalogue.kinds()) {
                bad.add(catalogue.make(kind, samples.logistics(5)));
            }
            assertEquals(BadRecords.Kind.values().length, bad.size(), "every kind applies to this template");

            Configuration options = new Configuration();
            options.set(LatentFlowOptions.SPEC, List.of(spec.toString()));
            options.set(LatentFlowOptions.BOOTSTRAP_SERVERS, h.bootstrapServers);
            options.set(LatentFlowOptions.REGISTRY_URL, h.registryUrl);
            options.set(LatentFlowOptions.MODEL_DIR, h.modelDir.toString());
            options.set(LatentFlowOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(500));
            options.set(LatentFlowOptions.RESTART_ATTEMPTS, 0); // a bad record that failed the job fails the test
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(2);
            LatentFlowJob.buildPipeline(env, options);
            JobClient job = env.executeAsync("bad input");
            List<ConsumerRecord<byte[], byte[]>> out;
            List<RecordMetadata> goodMeta = new ArrayList<>();
            List<RecordMetadata> badMeta;
            try {
                goodMeta.addAll(h.produce(in, good.subList(0, GOOD / 2)));
                badMeta = h.produce(in, bad.stream().map(b -> new PipelineHarness.Raw(b.key(), b.value())).toList());
                goodMeta.addAll(h.produce(in, good.subList(GOOD / 2, GOOD)));
                out = h.readCommitted(List.of(OUT + "-" + suffix, DLQ + "-" + suffix), GOOD + bad.size(),
                        Duration.ofSeconds(180));
            } finally {
                job.cancel().get();
            }

            ConfluentAvroDeserializer<InferenceResult> results =
                    ConfluentAvroDeserializer.specific(h.registryConfig(), InferenceResult.class);
            ConfluentAvroDeserializer<DeadLetter> letters =
                    ConfluentAvroDeserializer.specific(h.registryConfig(), DeadLetter.class);
            Set<String> resultAt = new HashSet<>();
            Map<String, DeadLetter> letterAt = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> rec : out) {
                if (rec.topic().startsWith(OUT)) {
                    InferenceResult r = results.deserialize(rec.value());
                    assertTrue(resultAt.add(r.getSourcePartition() + "@" + r.getSourceOffset()), "duplicate " + r);
                } else {
                    DeadLetter d = letters.deserialize(rec.value());
                    assertNull(letterAt.put(d.getSourcePartition() + "@" + d.getSourceOffset(), d), "duplicate " + d);
                }
            }
            Set<String> goodAt = new HashSet<>();
            goodMeta.forEach(m -> goodAt.add(m.partition() + "@" + m.offset()));
            assertEquals(goodAt, resultAt, "exactly the good events have results; dead letters: " + letterAt.values());
            assertEquals(bad.size(), letterAt.size(), "one dead letter per bad record");
            for (int i = 0; i < bad.size(); i++) {
                BadRecords.Bad b = bad.get(i);
                RecordMetadata m = badMeta.get(i);
                DeadLetter d = letterAt.get(m.partition() + "@" + m.offset());
                assertNotNull(d, b.kind() + ": no dead letter at " + m);
                assertEquals(m.topic(), d.getSourceTopic(), b.kind().toString());
                assertEquals("logistics-delay-risk-" + suffix, d.getPipeline());
                assertTrue(d.getErrorMessage().contains(b.reason()), b.kind() + ": '" + d.getErrorMessage()
                        + "' does not say '" + b.reason() + "'");
                if (b.kind() == BadRecords.Kind.ONE_MEGABYTE_FIELD) {
                    assertNull(d.getOriginalValue(), "a 1 MB original is not kept");
                    assertTrue(d.getErrorMessage().contains("not kept: over the dead-letter limit"), d.getErrorMessage());
                } else if (b.value() == null) {
                    assertNull(d.getOriginalValue());
                } else {
                    assertArrayEquals(b.value(), bytes(d.getOriginalValue()), b.kind() + ": original value kept");
                }
            }
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
