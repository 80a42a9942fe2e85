package io.latentflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * `latentflow demo` end to end: the three shipped pipelines, counted by a read_committed consumer, with
 * {@code --inject-bad}: every record-level kind of docs/bad-input.md that applies to a pipeline is planted once in its
 * stream, and each becomes a dead letter while the good events still get their results.
 */
class DemoCommandTest {

    @Test
    @Timeout(300)
    void everyEventOfEveryPipelineBecomesAResultOrADeadLetter(@TempDir Path dir) throws Exception {
        List<String> args = new ArrayList<>(List.of("demo", "--events", "15", "--rate", "30",
                "--inject-bad", String.valueOf(BAD),
                "--model", dir.resolve("tiny").toString(), "--summary-json", dir.resolve("s.json").toString(),
                "--ui-port", String.valueOf(freePort()), "--checkpoint-interval", "1s"));
        try (Stream<Path> specs = Files.list(Path.of("..", "pipelines"))) {
            specs.filter(p -> p.toString().endsWith(".yaml")).sorted()
                    .forEach(p -> args.addAll(List.of("--spec", p.toString())));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));

        JsonNode summary = new ObjectMapper().readTree(Files.readString(dir.resolve("s.json")));
        assertEquals(summary, new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8)), "stdout is the summary");
        assertEquals(3, summary.size());
        for (String pipeline : List.of("logistics-delay-risk", "ticket-triage", "npc-dialogue")) {
            JsonNode p = summary.get(pipeline);
            assertEquals(BAD, p.get("injected_bad").asLong(), pipeline);
            assertEquals(15 + BAD, p.get("events").asLong(), pipeline + ": events count the bad records");
            assertEquals(15 + BAD, p.get("results").asLong() + p.get("dead_letters").asLong(), pipeline);
            assertTrue(p.get("dead_letters").asLong() >= BAD, pipeline + ": every bad record is a dead letter");
            assertTrue(p.get("results").asLong() > 0, pipeline);
        }
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("in " + (15 + BAD)), "live progress on stderr");
    }

    /** The record-level kinds that apply to the shipped templates (all but the empty prompt: they have text). */
    private static final int BAD = io.latentflow.flink.samples.BadRecords.Kind.values().length - 1;

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
