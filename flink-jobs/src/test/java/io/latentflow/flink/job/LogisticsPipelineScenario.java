package io.latentflow.flink.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentflow.schemas.avro.DeadLetter;
import io.latentflow.schemas.avro.InferenceResult;
import io.latentflow.schemas.avro.LogisticsEvent;
import io.latentflow.schemas.samples.SampleEvents;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The logistics pipeline end to end on a real broker, a real schema registry and a Flink MiniCluster:
 * N events give exactly N InferenceResults under read_committed, none duplicated, in order per key;
 * planted bad records land in the dead-letter topic with their coordinates; a failure injected
 * mid-stream (restore from checkpoint) still gives exactly N results.
 *
 * <p>The scenario only; each subclass chooses the services ({@link #startHarness}): the embedded broker
 * and Apicurio ({@link LogisticsPipelineITCase}), or Kafka and Confluent's schema registry in Docker
 * ({@link LogisticsPipelineConfluentITCase}). One instance per class, so that {@code @BeforeAll} can
 * ask the subclass.
 */
@Timeout(300)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LogisticsPipelineScenario {
    private static final int EVENTS = 60;
    private static final String SPEC = "logistics-delay-risk.yaml";
    private static final String IN = "logistics.events";
    private static final String OUT = "planner.delay-risk";
    private static final String DLQ = "logistics.dead-letters";

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    Path work;
    PipelineHarness h;

    /** A harness on this variant's Kafka and registry; {@link PipelineHarness#close()} stops what it started. */
    abstract PipelineHarness startHarness(Path workDir);

    /**
     * This variant's name, part of every pipeline and topic name: fault injection is once per pipeline
     * name and JVM, and both variants may run in one JVM.
     */
    abstract String variant();

    @BeforeAll
    void start(@TempDir Path tempDir) {
        work = tempDir;
        h = startHarness(work);
    }

    @AfterAll
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    private record Run(List<RecordMetadata> good, List<RecordMetadata> bad, List<InferenceResult> results,
                       List<ConsumerRecord<byte[], byte[]>> resultRecords, List<DeadLetter> deadLetters) {
    }

    private Run run(String test, long failOnceAfter, boolean plantBad) throws Exception {
        String suffix = variant() + "-" + test;
        Path spec = h.spec(work, SPEC, suffix, IN, OUT, DLQ);
        String in = IN + "-" + suffix;
        SampleEvents samples = new SampleEvents(42);
        List<PipelineHarness.Raw> good = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            SampleEvents.Keyed e = samples.logistics(7);
            good.add(h.avroRecord(in, e.key(), e.value()));
        }
        List<PipelineHarness.Raw> bad = plantBad ? badRecords(in, samples) : List.of();

        Configuration options = h.jobOptions(spec);
        options.set(LatentFlowOptions.FAIL_ONCE_AFTER, failOnceAfter);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        LatentFlowJob.buildPipeline(env, options);
        JobClient job = env.executeAsync("logistics " + suffix);
        try {
            List<RecordMetadata> goodMeta = h.produce(in, good.subList(0, EVENTS / 2));
            List<RecordMetadata> badMeta = h.produce(in, bad);
            goodMeta = new ArrayList<>(goodMeta);
            goodMeta.addAll(h.produce(in, good.subList(EVENTS / 2, EVENTS)));

            PipelineHarness.Outputs out = h.outputs(OUT + "-" + suffix, DLQ + "-" + suffix, EVENTS + bad.size(),
                    Duration.ofSeconds(180));
            return new Run(goodMeta, badMeta, out.results(), out.resultRecords(), out.deadLetters());
        } finally {
            job.cancel().get();
        }
    }

    /** Not Avro; an unknown schema id; a record without the template's fields; a prompt over the context. */
    private List<PipelineHarness.Raw> badRecords(String topic, SampleEvents samples) {
        byte[] unknownId = {0, 0x7f, 0x7f, 0x7f, 0x7f, 2, 'x'};
        Schema other = new Schema.Parser().parse(
                "{\"type\":\"record\",\"name\":\"Unrelated\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}");
        GenericRecord unrelated = new GenericData.Record(other);
        unrelated.put("id", "u-1");
        LogisticsEvent huge = (LogisticsEvent) samples.logistics(7).value();
        huge.setCarrier("very long carrier name ".repeat(600));
        return List.of(
                new PipelineHarness.Raw("bad-1", "{\"shipment\": \"not avro\"}".getBytes()),
                new PipelineHarness.Raw("bad-2", unknownId),
                new PipelineHarness.Raw("bad-3", h.avro.serializeToSubject("unrelated-value", unrelated)),
                h.avroRecord(topic, "bad-4", huge));
    }

    @Test
    void exactlyOneResultPerEventInOrderPerKeyAndBadRecordsAsDeadLetters() throws Exception {
        Run run = run("clean", 0, true);
        assertExactlyOnce(run);
        assertOrderPerKey(run);

        assertEquals(4, run.deadLetters().size(), "one dead letter per planted bad record");
        Map<Long, DeadLetter> byOffset = new HashMap<>();
        run.deadLetters().forEach(d -> byOffset.put(d.getSourceOffset(), d));
        String[] reasons = {"magic byte", "unknown schema id", "template field", "max_position_embeddings"};
        for (int i = 0; i < 4; i++) {
            RecordMetadata m = run.bad().get(i);
            DeadLetter d = byOffset.get(m.offset());
            assertTrue(d != null && d.getSourcePartition() == m.partition(), "dead letter of bad record " + i);
            assertTrue(d.getErrorMessage().toLowerCase().contains(reasons[i].toLowerCase()),
                    "bad record " + i + ": " + d.getErrorMessage());
            assertEquals(run.bad().get(i).topic(), d.getSourceTopic());
        }
    }

    @Test
    void anInjectedFailureRestoresFromTheCheckpointAndStillGivesExactlyOneResultPerEvent() throws Exception {
        Run run = run("restore", EVENTS / 2 + 5, false);
        assertTrue(FailOnce.hasFailed("logistics-delay-risk-" + variant() + "-restore"), "the failure was injected");
        assertExactlyOnce(run);
        assertOrderPerKey(run);
    }

    private static void assertExactlyOnce(Run run) {
        PipelineHarness.assertExactlyOnce(run.good(), new PipelineHarness.Outputs(run.results(), run.resultRecords(),
                run.deadLetters()));
        for (InferenceResult r : run.results()) {
            assertEquals(3, r.getLabelDistribution().size());
            assertTrue(r.getPromptTokens() > 10);
        }
    }

    /** Results of one key appear in the order of their events. */
    private static void assertOrderPerKey(Run run) {
        Map<String, Long> lastOffset = new HashMap<>();
        for (InferenceResult r : run.results()) {
            Long before = lastOffset.put(r.getEventKey(), r.getSourceOffset());
            assertTrue(before == null || before < r.getSourceOffset(),
                    "key " + r.getEventKey() + ": offset " + r.getSourceOffset() + " after " + before);
        }
    }
}
