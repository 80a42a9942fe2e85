package io.latentflow.flink.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentflow.embedded.TcpProxy;
import io.latentflow.schemas.avro.InferenceResult;
import io.latentflow.schemas.avro.LogisticsEvent;
import io.latentflow.schemas.samples.SampleEvents;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults injected into the logistics pipeline on the real components (embedded KRaft broker, Apicurio, a
 * MiniCluster of two task managers): a task manager lost, the broker restarted, the registry unreachable for
 * 30 s, the engine throwing on one step, a latent cache budget that makes requests queue. Each run produces
 * half its events, waits for committed results (the job is mid-stream), injects the fault, produces the rest,
 * and checks under read_committed: N events, N results, no dead letters, no duplicates, the job running again
 * by itself. The matrix and its results: docs/reliability.md.
 */
@Timeout(240)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultInjectionITCase {
    private static final int EVENTS = 40;
    private static final String SPEC = "logistics-delay-risk.yaml";
    private static final String IN = "logistics.events";
    private static final String OUT = "planner.delay-risk";
    private static final String DLQ = "logistics.dead-letters";

    /** Two task managers of two slots; the job (parallelism 2) is spread over both, so either can be lost. */
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(2).setNumberSlotsPerTaskManager(2)
            .setConfiguration(spreadOverTaskManagers()).build());

    private Path work;
    private PipelineHarness h;

    private static Configuration spreadOverTaskManagers() {
        Configuration c = new Configuration();
        c.set(TaskManagerOptions.TASK_MANAGER_LOAD_BALANCE_MODE, TaskManagerOptions.TaskManagerLoadBalanceMode.SLOTS);
        return c;
    }

    @BeforeAll
    void start(@TempDir Path tempDir) {
        work = tempDir;
        h = PipelineHarness.embedded(work);
    }

    @AfterAll
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    /** A fault, injected mid-stream into the running job. */
    private interface Fault {
        void inject(JobClient job) throws Exception;
    }

    /** One run's events as produced, the pipeline's outputs, and whether the job went through a restart. */
    private record Run(List<RecordMetadata> produced, PipelineHarness.Outputs out, boolean restarted) {
    }

    /**
     * Runs the pipeline named after {@code test}: produces {@code firstHalf}, waits for a quarter of the results to
     * be committed, injects {@code fault}, produces {@code secondHalf}, reads everything back, and checks that the
     * job is running again. {@code yamlEdit} may change the spec's text first.
     */
    private Run run(String test, Configuration extra, java.util.function.UnaryOperator<String> yamlEdit,
                    List<PipelineHarness.Raw> firstHalf, List<PipelineHarness.Raw> secondHalf,
                    MiniCluster cluster, Fault fault) throws Exception {
        Path spec = h.spec(work, SPEC, test, IN, OUT, DLQ);
        Files.writeString(spec, yamlEdit.apply(Files.readString(spec)));
        Configuration options = h.jobOptions(spec);
        options.addAll(extra);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        LatentFlowJob.buildPipeline(env, options);
        JobClient job = env.executeAsync("faults " + test);
        try {
            List<RecordMetadata> produced = new ArrayList<>(h.produce(in(test), firstHalf));
            h.readCommitted(List.of(out(test)), EVENTS / 4, Duration.ofSeconds(120));
            fault.inject(job);
            produced.addAll(h.produce(in(test), secondHalf));
            PipelineHarness.Outputs out = h.outputs(out(test), DLQ + "-" + test, EVENTS, Duration.ofSeconds(150));
            assertEquals(JobStatus.RUNNING, job.getJobStatus().get(), "the job recovered by itself");
            AccessExecutionGraph graph = cluster.getExecutionGraph(job.getJobID()).get();
            return new Run(produced, out, graph.getStatusTimestamp(JobStatus.RESTARTING) > 0);
        } finally {
            job.cancel().get();
        }
    }

    private static String in(String test) {
        return IN + "-" + test;
    }

    private static String out(String test) {
        return OUT + "-" + test;
    }

    /** {@code n} logistics events of the test's input topic, in the shipped schema. */
    private List<PipelineHarness.Raw> events(String test, int n, long seed) {
        SampleEvents samples = new SampleEvents(seed);
        List<PipelineHarness.Raw> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SampleEvents.Keyed e = samples.logistics(7);
            out.add(h.avroRecord(in(test), e.key(), e.value()));
        }
        return out;
    }

    private static void assertClean(String fault, Run run) {
        PipelineHarness.assertExactlyOnce(run.produced(), run.out());
        assertEquals(0, run.out().deadLetters().size(), "no dead letters: " + run.out().deadLetters());
        System.out.printf("fault matrix: %s: in %d, results %d, dead letters %d, duplicates 0, restarted %s%n", fault,
                run.produced().size(), run.out().results().size(), run.out().deadLetters().size(), run.restarted());
    }

    @Test
    void aTaskManagerLostMidStream(@InjectMiniCluster MiniCluster cluster) throws Exception {
        String test = "tm-lost";
        Run run = run(test, new Configuration(), y -> y, events(test, EVENTS / 2, 1), events(test, EVENTS / 2, 2),
                cluster, job -> {
                    Set<Object> taskManagers = new HashSet<>();
                    for (AccessExecutionVertex v : cluster.getExecutionGraph(job.getJobID()).get()
                            .getAllExecutionVertices()) {
                        taskManagers.add(v.getCurrentAssignedResourceLocation().getResourceID());
                    }
                    assertEquals(2, taskManagers.size(), "the job's tasks run on both task managers");
                    cluster.terminateTaskManager(0).get(60, TimeUnit.SECONDS);
                });
        try {
            assertTrue(run.restarted(), "the job restarted on the remaining task manager");
            assertClean("task manager lost", run);
        } finally {
            cluster.startTaskManager(); // back to two for the other tests
        }
    }

    @Test
    void theBrokerRestartedMidStream(@InjectMiniCluster MiniCluster cluster) throws Exception {
        String test = "broker-restart";
        Run run = run(test, new Configuration(), y -> y, events(test, EVENTS / 2, 3), events(test, EVENTS / 2, 4),
                cluster, job -> h.services.kafka().restart());
        assertClean("broker restarted", run);
    }

    @Test
    void theRegistryUnreachableFor30sWhileANewSchemaVersionArrives(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        String test = "registry-down";
        // the job has the first half's writer schema cached; the second half is written with a new version of it,
        // registered (directly, not through the proxy) while the job cannot reach the registry
        try (TcpProxy proxy = TcpProxy.forUrl(h.registryUrl)) {
            Configuration viaProxy = new Configuration();
            viaProxy.set(LatentFlowOptions.REGISTRY_URL, proxy.proxied(h.registryUrl));
            Run run = run(test, viaProxy, y -> y, events(test, EVENTS / 2, 5), evolvedEvents(test, EVENTS / 2, 6),
                    cluster, job -> {
                        proxy.cutOff();
                        new Thread(() -> {
                            try {
                                Thread.sleep(30_000); // the outage's length: the fault itself, not a wait
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            proxy.restore();
                        }, "registry-outage").start();
                    });
            assertTrue(proxy.refusedConnections() > 0, "the job met the outage");
            assertTrue(run.restarted(), "the job failed on the unreachable registry and restored");
            assertClean("registry unreachable 30 s", run);
        }
    }

    /** Logistics events written with a new, backward-compatible version of the schema (one more optional field). */
    private List<PipelineHarness.Raw> evolvedEvents(String test, int n, long seed) throws IOException {
        Schema base = LogisticsEvent.getClassSchema();
        List<Schema.Field> fields = new ArrayList<>();
        base.getFields().forEach(f -> fields.add(new Schema.Field(f, f.schema())));
        fields.add(new Schema.Field("ingest_note", Schema.createUnion(Schema.create(Schema.Type.NULL),
                Schema.create(Schema.Type.STRING)), "added by the fault test", Schema.Field.NULL_DEFAULT_VALUE));
        Schema evolved = Schema.createRecord(base.getName(), base.getDoc(), base.getNamespace(), false, fields);
        SampleEvents samples = new SampleEvents(seed);
        List<PipelineHarness.Raw> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SampleEvents.Keyed e = samples.logistics(7);
            // the event in the new version: written with its own schema, read back with the new one
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
            new SpecificDatumWriter<>(base).write(e.value(), encoder);
            encoder.flush();
            GenericRecord r = new GenericDatumReader<GenericRecord>(base, evolved)
                    .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
            r.put("ingest_note", "v2");
            out.add(h.avroRecord(in(test), e.key(), r));
        }
        return out;
    }

    @Test
    void theEngineThrowingOnOneStep(@InjectMiniCluster MiniCluster cluster) throws Exception {
        String test = "engine-throws";
        Configuration failEngine = new Configuration();
        failEngine.set(LatentFlowOptions.ENGINE_FAIL_ONCE_AFTER, (long) EVENTS / 4 + 3);
        Run run = run(test, failEngine, y -> y, events(test, EVENTS / 2, 7), events(test, EVENTS / 2, 8),
                cluster, job -> { });
        assertTrue(FailOnce.hasFailed(InferenceFunction.engineFault("logistics-delay-risk-" + test)),
                "the engine failure was injected");
        assertTrue(run.restarted(), "the failed requests failed the job, which restored");
        assertClean("engine throws on one step", run);
    }

    @Test
    void aBatchOverTheCacheBudgetWaits(@InjectMiniCluster MiniCluster cluster) throws Exception {
        String test = "cache-budget";
        // tiny model: 480 bytes per token; one logistics request reserves ~40-50 KB, so about one fits at a time
        Run run = run(test, new Configuration(), y -> y.replace("cache_budget_mb: 256", "cache_budget_kb: 64"),
                events(test, EVENTS / 2, 9), events(test, EVENTS / 2, 10), cluster, job -> { });
        assertClean("batch over the cache budget", run);
        assertTrue(!run.restarted(), "nothing failed");
        Map<Long, Integer> perStep = new HashMap<>();
        for (InferenceResult r : run.out().results()) {
            perStep.merge(r.getBatchId(), 1, Integer::sum);
        }
        int widest = perStep.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        System.out.printf("cache budget: %d results admitted in %d steps, at most %d together%n",
                run.out().results().size(), perStep.size(), widest);
        assertTrue(widest <= 2, "the budget held requests back: at most " + widest + " admitted together");
    }
}
