package io.latentflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Runs {@link Main} in-process and keeps what it printed. */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** stdout as the one JSON object it must be. */
    JsonNode json() throws Exception {
        String trimmed = out.strip();
        if (trimmed.isEmpty() || trimmed.contains("\n")) {
            throw new AssertionError("stdout is not one line of JSON: [" + out + "], stderr: " + err);
        }
        JsonNode node = new ObjectMapper().readTree(trimmed);
        if (!node.isObject()) {
            throw new AssertionError("stdout is not a JSON object: " + out);
        }
        return node;
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\nstdout: " + out + "\nstderr: " + err;
    }

    /**
     * The golden models folder: -Dlatentflow.golden, $LATENTFLOW_GOLDEN, or shared/golden next to or inside the
     * repository (tests run in the cli module directory); null when none is there.
     */
    static Path goldenDir() {
        List<String> candidates = new java.util.ArrayList<>();
        if (System.getProperty("latentflow.golden") != null) {
            candidates.add(System.getProperty("latentflow.golden"));
        }
        if (System.getenv("LATENTFLOW_GOLDEN") != null) {
            candidates.add(System.getenv("LATENTFLOW_GOLDEN"));
        }
        candidates.add(Path.of("..", "..", "shared", "golden").toString());
        candidates.add(Path.of("..", "shared", "golden").toString());
        candidates.add(Path.of("shared", "golden").toString());
        for (String c : candidates) {
            Path p = Path.of(c).toAbsolutePath().normalize();
            if (Files.isRegularFile(p.resolve("tiny-v3").resolve("config.json"))) {
                return p;
            }
        }
        return null;
    }
}
