package io.latentflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A short `latentflow bench soak`: one JSON object with counts, latency percentiles and memory samples. */
class BenchSoakCommandTest {

    @Test
    @Timeout(300)
    void aShortSoakReportsCountsLatencyAndMemory(@TempDir Path dir) throws Exception {
        String[] args = {"bench", "soak", "--rate", "5", "--duration", "15s", "--sample-every", "5s",
            "--model", dir.resolve("tiny").toString(), "--ui-port", String.valueOf(freePort()),
            "--spec", Path.of("..", "pipelines", "logistics-delay-risk.yaml").toString()};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));

        JsonNode report = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertTrue(report.get("counts_ok").asBoolean());
        JsonNode p = report.get("pipelines").get("logistics-delay-risk");
        assertTrue(p.get("events").asLong() > 0);
        assertEquals(p.get("events").asLong(), p.get("results").asLong() + p.get("dead_letters").asLong());
        assertTrue(p.get("p999_ms").asLong() >= p.get("p50_ms").asLong());
        JsonNode first = report.get("samples").get(0);
        assertTrue(first.get("rss_mb").asLong() > 0 && first.get("heap_used_mb").asLong() > 0, first.toString());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("[soak"), "samples on stderr");
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
