package io.latentflow.flink.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentflow.schemas.ConfluentAvroDeserializer;
import io.latentflow.schemas.avro.InferenceResult;
import io.latentflow.schemas.samples.SampleEvents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code target/latentflow-job.jar} (built by {@code package}) on a real standalone session cluster:
 * a JobManager and a TaskManager JVM whose classpath holds only Flink, the jar uploaded and run through
 * the REST API as {@code flink run} would, against the embedded broker and registry; N logistics
 * events give exactly N InferenceResults under read_committed. Runs in {@code mvn verify} (failsafe).
 */
@Timeout(240)
class JobJarOnStandaloneClusterITCase {
    private static final int EVENTS = 40;
    private static final String SPEC = "logistics-delay-risk.yaml";
    private static final String IN = "logistics.events";
    private static final String OUT = "planner.delay-risk";
    private static final String DLQ = "logistics.dead-letters";

    @TempDir
    static Path work;
    static PipelineHarness h;
    static StandaloneFlinkCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        h = PipelineHarness.embedded(work);
        cluster = StandaloneFlinkCluster.start(work.resolve("flink"));
    }

    @AfterAll
    static void stop() {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            if (h != null) {
                h.close();
            }
        }
    }

    @Test
    void theJobJarRunsOnASessionClusterWithExactlyOneResultPerEvent() throws Exception {
        Path jar = Path.of(System.getProperty("latentflow.job.jar", "target/latentflow-job.jar"));
        assertTrue(Files.isRegularFile(jar), jar + " is built by `mvn package` (this test runs in `mvn verify`)");
        Path spec = h.spec(work, SPEC, "cluster", IN, OUT, DLQ);
        String in = IN + "-cluster";

        String jobId = cluster.runJar(cluster.uploadJar(jar), List.of(
                "--spec", spec.toString(),
                "--bootstrap-servers", h.bootstrapServers,
                "--registry-url", h.registryUrl,
                "--model-dir", h.modelDir.toString(),
                "--checkpoint-interval", "1s",
                "--restart-attempts", "1"), 2);
        try {
            SampleEvents samples = new SampleEvents(7);
            List<PipelineHarness.Raw> events = new ArrayList<>();
            for (int i = 0; i < EVENTS; i++) {
                SampleEvents.Keyed e = samples.logistics(5);
                events.add(h.avroRecord(in, e.key(), e.value()));
            }
            Set<String> produced = new HashSet<>();
            for (RecordMetadata m : h.produce(in, events)) {
                produced.add(m.partition() + "@" + m.offset());
            }

            List<ConsumerRecord<byte[], byte[]>> out = h.readCommitted(List.of(OUT + "-cluster", DLQ + "-cluster"),
                    EVENTS, Duration.ofSeconds(120));
            ConfluentAvroDeserializer<InferenceResult> results =
                    ConfluentAvroDeserializer.specific(h.registryConfig(), InferenceResult.class);
            List<String> got = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : out) {
                assertEquals(OUT + "-cluster", r.topic(), "no dead letters expected");
                InferenceResult result = results.deserialize(r.value());
                assertEquals(3, result.getLabelDistribution().size());
                got.add(result.getSourcePartition() + "@" + result.getSourceOffset());
            }
            String state = cluster.jobState(jobId);
            assertEquals(EVENTS, got.size(), "exactly one result per event under read_committed; job " + state
                    + "\n" + cluster.jobExceptions(jobId) + "\n" + cluster.logs());
            assertEquals(produced, new HashSet<>(got), "every event has its result, none duplicated");
            assertEquals("RUNNING", state);
        } finally {
            cluster.cancel(jobId);
        }
    }
}
