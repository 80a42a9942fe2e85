package io.latentflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code model init} writes SHA256SUMS; {@code model manifest} rewrites and checks it; a tampered model is refused. */
class CliManifestTest {
    @TempDir
    Path tmp;

    @Test
    void initWritesTheManifestAndATamperedModelIsRefused() throws Exception {
        Path dir = tmp.resolve("tiny");
        CliRun init = CliRun.of("model", "init", "--preset", "tiny", "--out", dir.toString());
        assertEquals(0, init.exitCode(), init.toString());
        assertTrue(Files.isRegularFile(dir.resolve("SHA256SUMS")), init.toString());

        CliRun check = CliRun.of("model", "manifest", "--model", dir.toString(), "--check");
        assertEquals(0, check.exitCode(), check.toString());
        assertTrue(check.json().get("verified").asBoolean());

        Files.writeString(dir.resolve("generation_config.json"), "{}");
        CliRun unlisted = CliRun.of("model", "info", "--model", dir.toString());
        assertEquals(Main.EXIT_FAILURE, unlisted.exitCode(), unlisted.toString());
        assertTrue(unlisted.err().contains("generation_config.json is not listed"), unlisted.toString());
        JsonNode rewritten = CliRun.of("model", "manifest", "--model", dir.toString()).json();
        assertEquals(5, rewritten.get("files").asInt(), rewritten.toString());
        assertEquals(0, CliRun.of("model", "info", "--model", dir.toString()).exitCode());

        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("model.safetensors").toFile(), "rw")) {
            f.seek(f.length() - 1);
            int b = f.read();
            f.seek(f.length() - 1);
            f.write(b ^ 0x80);
        }
        CliRun refused = CliRun.of("model", "info", "--model", dir.toString());
        assertEquals(Main.EXIT_FAILURE, refused.exitCode(), refused.toString());
        assertTrue(refused.err().contains("model.safetensors: SHA-256") && refused.err().contains("does not match"),
                refused.toString());
        CliRun checkFails = CliRun.of("model", "manifest", "--model", dir.toString(), "--check");
        assertEquals(Main.EXIT_FAILURE, checkFails.exitCode(), checkFails.toString());
    }

    @Test
    void runAndManifestDocumentTheirSecurityOptions() {
        CliRun run = CliRun.of("run", "--help");
        assertEquals(0, run.exitCode(), run.toString());
        for (String option : new String[] {"--kafka-property", "--kafka-properties-file", "--registry-basic-auth",
            "--registry-truststore", "--registry-truststore-password", "--registry-keystore"}) {
            assertTrue(run.out().contains(option), option + " in " + run.out());
        }
        CliRun manifest = CliRun.of("model", "manifest", "--help");
        assertEquals(0, manifest.exitCode(), manifest.toString());
        assertTrue(manifest.out().contains("--check"), manifest.toString());
        assertEquals(Main.EXIT_USAGE, CliRun.of("model", "manifest", "--model", tmp.resolve("none").toString())
                .exitCode());
    }
}
