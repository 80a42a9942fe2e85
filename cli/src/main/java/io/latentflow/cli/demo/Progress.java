package io.latentflow.cli.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** The demo's live view on the terminal and its summary, from the generators and the output counter. */
final class Progress {
    private final PrintWriter out;
    private final List<Stream> streams;
    private final List<EventGenerator> generators;
    private final OutputCounter counter;
    private final long t0;

    Progress(PrintWriter out, List<Stream> streams, List<EventGenerator> generators, OutputCounter counter, long t0) {
        this.out = out;
        this.streams = streams;
        this.generators = generators;
        this.counter = counter;
        this.t0 = t0;
    }

    private double seconds() {
        return (System.nanoTime() - t0) / 1e9;
    }

    void print() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "[%4.0fs]", seconds()));
        for (int i = 0; i < streams.size(); i++) {
            OutputCounter.Figures f = counter.figures(streams.get(i).spec().name());
            synchronized (f) {
                sb.append(String.format(Locale.ROOT, "  %s: in %d, out %d, dead %d, p50 %d ms, p99 %d ms, %.0f tok/s",
                        streams.get(i).spec().name(), generators.get(i).sent(), f.results, f.deadLetters,
                        f.percentile(0.50), f.percentile(0.99), f.tokens / seconds()));
            }
        }
        out.println(sb);
        out.flush();
    }

    /** Every event produced so far has come out as a result or a dead letter. */
    boolean allAccounted() {
        for (int i = 0; i < streams.size(); i++) {
            OutputCounter.Figures f = counter.figures(streams.get(i).spec().name());
            synchronized (f) {
                if (f.results + f.deadLetters < generators.get(i).sent()) {
                    return false;
                }
            }
        }
        return true;
    }

    ObjectNode summary() {
        ObjectNode root = new ObjectMapper().createObjectNode();
        for (int i = 0; i < streams.size(); i++) {
            OutputCounter.Figures f = counter.figures(streams.get(i).spec().name());
            ObjectNode p = root.putObject(streams.get(i).spec().name());
            synchronized (f) {
                p.put("events", generators.get(i).sent());
                p.put("results", f.results);
                p.put("dead_letters", f.deadLetters);
                p.put("injected_bad", generators.get(i).badSent());
                p.put("p50_ms", f.percentile(0.50));
                p.put("p99_ms", f.percentile(0.99));
                p.put("p999_ms", f.percentile(0.999));
                p.put("tokens_per_s", Math.round(f.tokens / seconds()));
            }
        }
        return root;
    }
}
