package io.latentflow.cli.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latentflow.embedded.Services;
import io.latentflow.flink.job.LatentFlowJob;
import io.latentflow.flink.job.LatentFlowOptions;
import io.latentflow.flink.spec.PipelineSpec;
import io.latentflow.flink.spec.PipelineSpecParser;
import io.latentflow.schemas.RegistryConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline on one machine: a real KRaft broker and Apicurio registry, a Flink MiniCluster
 * with its web UI running the shipped pipelines, a generator per input stream, and a read_committed
 * counter of what they publish. Closing it (also from a Ctrl-C hook) stops everything, once.
 */
public final class Demo implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Demo.class);

    /**
     * What the demo runs. {@code events} > 0 bounds each stream; else {@code duration} does. {@code injectBad}
     * bad records per stream are planted among the events (docs/bad-input.md).
     */
    public record Settings(List<Path> specs, Path modelDir, double rate, long events, Duration duration,
                           Duration drainTimeout, Duration checkpointInterval, int uiPort, int parallelism,
                           int injectBad) {
    }

    private final Settings settings;
    private final List<Stream> streams = new ArrayList<>();
    private final List<EventGenerator> generators = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private Services services;
    private OutputCounter counter;
    private JobClient job;
    private volatile Progress view;
    private boolean closed;
    private volatile boolean stopRequested;

    public Demo(Settings settings) {
        this.settings = settings;
        for (Path p : settings.specs()) {
            PipelineSpec spec = PipelineSpecParser.parse(p);
            streams.add(new Stream(spec, Stream.generatorFor(spec)));
        }
    }

    /** Runs to the end and returns the summary: per pipeline events, results and dead_letters. */
    public ObjectNode run(PrintWriter progress) throws Exception {
        long t0 = System.nanoTime();
        services = Services.start();
        RegistryConfig registry = RegistryConfig.of(services.schemaRegistryUrl());
        LOG.info("Kafka at {}, schema registry at {}", services.bootstrapServers(), services.schemaRegistryUrl());
        counter = new OutputCounter(services.bootstrapServers(), registry);
        for (Stream s : streams) {
            services.kafka().createTopic(s.spec().source().topic(), 3);
            services.kafka().createTopic(s.spec().output().topic(), 3);
            services.kafka().createTopic(s.spec().output().deadLetterTopic(), 1);
            counter.watch(s.spec().name(), s.spec().output().topic(), s.spec().output().deadLetterTopic());
        }
        job = startJob();
        start(counter, "latentflow-demo-counter");

        long maxEvents = settings.events() > 0 ? settings.events() : Long.MAX_VALUE;
        long durationMs = settings.events() > 0 ? Long.MAX_VALUE : settings.duration().toMillis();
        long seed = 1;
        for (Stream s : streams) {
            EventGenerator g = new EventGenerator(s.spec(), s.generator(), services.bootstrapServers(),
                    registry, settings.rate(), maxEvents, durationMs, seed++, settings.injectBad());
            generators.add(g);
            start(g, "latentflow-demo-generator-" + s.spec().name());
        }

        view = new Progress(progress, streams, generators, counter, t0);
        while (!stopRequested && threads.stream().skip(1).anyMatch(Thread::isAlive)) { // the generators
            Thread.sleep(2000);
            view.print();
        }
        generators.forEach(EventGenerator::stop);
        long drainDeadline = System.nanoTime() + settings.drainTimeout().toNanos();
        while (!stopRequested && !view.allAccounted() && System.nanoTime() < drainDeadline) {
            Thread.sleep(2000);
            view.print();
        }
        view.print();
        return view.summary();
    }

    /** The figures so far, as {@link #run} will return them at the end; empty before the pipelines start. */
    public ObjectNode summaryNow() {
        Progress v = view;
        return v != null ? v.summary() : new ObjectMapper().createObjectNode();
    }

    private JobClient startJob() throws Exception {
        StreamExecutionEnvironment env = LocalFlink.environment(settings.uiPort(), settings.parallelism());
        Configuration options = new Configuration();
        options.set(LatentFlowOptions.SPEC, settings.specs().stream().map(Path::toString).toList());
        options.set(LatentFlowOptions.BOOTSTRAP_SERVERS, services.bootstrapServers());
        options.set(LatentFlowOptions.REGISTRY_URL, services.schemaRegistryUrl());
        options.set(LatentFlowOptions.MODEL_DIR, settings.modelDir().toString());
        options.set(LatentFlowOptions.CHECKPOINT_INTERVAL, settings.checkpointInterval());
        LatentFlowJob.buildPipeline(env, options);
        JobClient client = env.executeAsync("latentflow demo");
        LOG.info("Flink web UI: http://localhost:{}", settings.uiPort());
        return client;
    }

    private void start(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        threads.add(t);
    }

    /** Ctrl-C: stop generating and return the summary so far from {@link #run}. */
    public void requestStop() {
        stopRequested = true;
        generators.forEach(EventGenerator::stop);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        generators.forEach(EventGenerator::stop);
        if (counter != null) {
            counter.stop();
        }
        if (job != null) {
            try {
                job.cancel().get();
            } catch (Exception e) {
                LOG.warn("cancelling the demo job: {}", e.toString());
            }
        }
        if (services != null) {
            services.close();
        }
        LOG.info("demo stopped: job cancelled, broker and registry shut down");
    }

    static String pct(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }
}
