package io.latentflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latentflow.cli.demo.Demo;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code latentflow bench soak}: the demo's embedded pipeline (broker, registry, MiniCluster, generators,
 * read_committed counter) at a steady rate for a while, sampling memory, then checking the counts.
 *
 * <p>Every {@code --sample-every} it records: heap used now; heap still used after the JVM's most recent
 * garbage collection (after a young collection that includes garbage already promoted; with {@code --full-gc}
 * a full collection runs first, so it is the live set, which is what must stay flat); the process's
 * resident set (VmRSS of /proc/self/status); events produced and results plus dead letters counted so far.
 * At the end: per pipeline events, results, dead letters, p50/p99/p999 latency (event time to a visible,
 * committed result), and the steady throughput between the first sample after one minute and the last sample
 * while the generators ran. Exit 1 when a pipeline's results plus dead letters differ from its events.
 */
@Command(name = "soak", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Run the embedded pipelines at a steady rate, sample heap and RSS, verify the counts "
                + "(progress on stderr, JSON on stdout; exit 1 when events != results + dead letters).")
final class BenchSoakCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    EmbeddedPipelineOptions pipelines;

    @Option(names = "--rate", defaultValue = "5", paramLabel = "EVENTS_PER_S",
            description = "Events per second per stream. Default: ${DEFAULT-VALUE}.")
    double rate;

    @Option(names = "--duration", defaultValue = "10m", paramLabel = "DURATION",
            description = "How long the generators run. Default: ${DEFAULT-VALUE}.")
    String duration;

    @Option(names = "--sample-every", defaultValue = "10s", paramLabel = "DURATION",
            description = "Memory sampling period. Default: ${DEFAULT-VALUE}.")
    String sampleEvery;

    @Option(names = "--full-gc", description = "Run a full garbage collection (System.gc()) before each sample, so "
            + "that heap_after_gc_mb is the live set; costs one full collection per sample.")
    boolean fullGc;

    @Override
    public Integer call() throws Exception {
        Duration runFor = Durations.parse("--duration", duration);
        Duration every = Durations.parse("--sample-every", sampleEvery);
        Demo.Settings settings = pipelines.settings(rate, 0, runFor, 0);
        PrintWriter err = spec.commandLine().getErr();
        ArrayNode samples = Json.MAPPER.createArrayNode();
        long t0 = System.nanoTime();
        ObjectNode summary;
        try (Demo demo = new Demo(settings)) {
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "latentflow-soak-sampler");
                t.setDaemon(true);
                return t;
            });
            sampler.scheduleAtFixedRate(() -> samples.add(sample(demo, t0, fullGc, err)), every.toMillis(), every.toMillis(),
                    TimeUnit.MILLISECONDS);
            try {
                summary = demo.run(err);
            } finally {
                sampler.shutdownNow();
                sampler.awaitTermination(10, TimeUnit.SECONDS);
            }
        }
        ObjectNode out = Json.object();
        out.put("rate_per_stream", rate);
        out.put("duration_s", runFor.toSeconds());
        out.put("full_gc_before_samples", fullGc);
        out.set("pipelines", summary);
        out.put("steady_outputs_per_s", steadyThroughput(samples, runFor.toSeconds()));
        out.set("samples", samples);
        boolean ok = DemoCommand.allAccounted(summary, "latentflow bench soak", err);
        out.put("counts_ok", ok);
        Json.print(spec.commandLine().getOut(), out);
        return ok ? 0 : Main.EXIT_FAILURE;
    }

    /** One memory and progress sample; also printed on stderr. */
    private static ObjectNode sample(Demo demo, long t0, boolean fullGc, PrintWriter err) {
        ObjectNode s = Json.object();
        if (fullGc) {
            System.gc();
        }
        long t = Math.round((System.nanoTime() - t0) / 1e9);
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
        long live = heapAfterLastGc() >> 20;
        long rss = rssKb() >> 10;
        long events = 0;
        long outputs = 0;
        for (JsonNode p : demo.summaryNow()) {
            events += p.get("events").asLong();
            outputs += p.get("results").asLong() + p.get("dead_letters").asLong();
        }
        s.put("t_s", t);
        s.put("heap_used_mb", heap);
        s.put("heap_after_gc_mb", live);
        s.put("rss_mb", rss);
        s.put("events", events);
        s.put("outputs", outputs);
        err.printf("[soak %4ds] heap %d MB (after last GC %d MB), RSS %d MB, events %d, results+dead letters %d%n",
                t, heap, live, rss, events, outputs);
        err.flush();
        return s;
    }

    /** Heap in use right after the most recent collection (of any collector), over the heap's pools. */
    static long heapAfterLastGc() {
        Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
        com.sun.management.GcInfo last = null;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof com.sun.management.GarbageCollectorMXBean g) {
                com.sun.management.GcInfo info = g.getLastGcInfo();
                if (info != null && (last == null || info.getEndTime() > last.getEndTime())) {
                    last = info;
                }
            }
        }
        if (last == null) {
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }
        long used = 0;
        for (Map.Entry<String, MemoryUsage> e : last.getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(e.getKey())) {
                used += e.getValue().getUsed();
            }
        }
        return used;
    }

    /** This process's resident set size in kB (VmRSS), or -1 where /proc/self/status has none. */
    static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** Outputs per second between the first sample after 60 s and the last sample within the generators' run. */
    private static double steadyThroughput(ArrayNode samples, long runSeconds) {
        JsonNode from = null;
        JsonNode to = null;
        for (JsonNode s : samples) {
            long t = s.get("t_s").asLong();
            if (from == null && t >= 60) {
                from = s;
            }
            if (t <= runSeconds) {
                to = s;
            }
        }
        if (from == null || to == null || to.get("t_s").asLong() <= from.get("t_s").asLong()) {
            return 0;
        }
        return Math.round(10.0 * (to.get("outputs").asLong() - from.get("outputs").asLong())
                / (to.get("t_s").asLong() - from.get("t_s").asLong())) / 10.0;
    }
}
