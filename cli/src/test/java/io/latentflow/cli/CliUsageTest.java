package io.latentflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flag parsing and error reporting; needs no engine. */
class CliUsageTest {

    @TempDir
    Path tmp;

    /** A usage error: exit 2, nothing on stdout, one line on stderr that names the problem. */
    private static CliRun usageError(String expectedInMessage, String... args) {
        CliRun r = CliRun.of(args);
        assertEquals(Main.EXIT_USAGE, r.exitCode(), r.toString());
        assertEquals("", r.out(), r.toString());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), "one line on stderr: " + r);
        assertTrue(err.startsWith("latentflow"), r.toString());
        assertTrue(err.contains(expectedInMessage), "stderr should mention '" + expectedInMessage + "': " + r);
        assertFalse(err.contains("Exception"), "no stack trace: " + r);
        return r;
    }

    private Path emptyModelDir() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("model"));
        Files.writeString(dir.resolve("config.json"), "{}");
        return dir;
    }

    @Test
    void noArgumentsAsksForASubcommand() {
        usageError("Missing required subcommand");
        usageError("Missing required subcommand", "model");
        usageError("Missing required subcommand", "bench");
    }

    @Test
    void unknownSubcommandAndOption() {
        usageError("Unmatched argument", "nonsense");
        usageError("Unknown option", "model", "info", "--model", "x", "--bogus");
    }

    @Test
    void missingModelFlag() {
        usageError("--model", "model", "info");
        usageError("--model", "model", "logits", "--tokens", "1,2");
        usageError("--model", "bench", "engine");
    }

    @Test
    void modelDirectoryMustExistAndHaveAConfig() throws IOException {
        usageError("model directory not found", "model", "info", "--model", tmp.resolve("absent").toString());
        Path noConfig = Files.createDirectories(tmp.resolve("noconfig"));
        usageError("no config.json", "model", "info", "--model", noConfig.toString());
    }

    @Test
    void tokenListsAreChecked() throws IOException {
        String model = emptyModelDir().toString();
        usageError("'a' is not a token id", "model", "logits", "--model", model, "--tokens", "1,a,3");
        usageError("token ids are >= 0", "model", "logits", "--model", model, "--tokens", "1,-2");
        usageError("--tokens", "model", "logits", "--model", model);
    }

    @Test
    void generateNeedsExactlyOnePrompt() throws IOException {
        String model = emptyModelDir().toString();
        usageError("Missing required argument", "model", "generate", "--model", model, "--max-new-tokens", "4");
        usageError("mutually exclusive", "model", "generate", "--model", model, "--tokens", "1", "--prompt", "hi",
                "--max-new-tokens", "4");
        usageError("--max-new-tokens", "model", "generate", "--model", model, "--tokens", "1");
    }

    @Test
    void samplingValuesAreChecked() throws IOException {
        String model = emptyModelDir().toString();
        String[] base = {"model", "generate", "--model", model, "--tokens", "1,2", "--max-new-tokens"};
        usageError("--max-new-tokens must be >= 1", concat(base, "0"));
        usageError("--temperature must be >= 0", concat(base, "4", "--temperature", "-1"));
        usageError("--top-p must be in (0, 1]", concat(base, "4", "--temperature", "0.7", "--top-p", "1.5"));
        usageError("--top-k must be >= 0", concat(base, "4", "--temperature", "0.7", "--top-k", "-3"));
        usageError("Invalid value for option '--temperature'", concat(base, "4", "--temperature", "hot"));
    }

    @Test
    void engineFlagsAreChecked() throws IOException {
        String model = emptyModelDir().toString();
        usageError("unknown backend 'gpu': expected scalar, vector or vector-int8", "model", "info", "--model", model,
                "--backend", "gpu");
        usageError("--threads must be >= 1", "model", "info", "--model", model, "--threads", "0");
        usageError("--cache-budget-mb must be >= 1", "model", "info", "--model", model, "--cache-budget-mb", "0");
    }

    @Test
    void initFlagsAreChecked() {
        usageError("--preset", "model", "init", "--out", tmp.toString());
        usageError("--out", "model", "init", "--preset", "tiny");
        usageError("expected one of", "model", "init", "--preset", "huge", "--out", tmp.toString());
        usageError("expected one of", "model", "init", "--preset", "tiny", "--variant", "v4", "--out", tmp.toString());
        usageError("Invalid value for option '--seed'", "model", "init", "--preset", "tiny", "--seed", "x",
                "--out", tmp.toString());
    }

    @Test
    void benchFlagsAreChecked() throws IOException {
        String model = emptyModelDir().toString();
        usageError("--batches", "bench", "engine", "--model", model, "--batches", "1,0");
        usageError("--decode-steps must be >= 1", "bench", "engine", "--model", model, "--decode-steps", "0");
        usageError("--prompt-tokens must be >= 1", "bench", "engine", "--model", model, "--prompt-tokens", "0");
    }

    /** A model the engine cannot load fails with exit 1 and one line, whether or not the engine is real yet. */
    @Test
    void engineFailureIsOneLineWithoutStackTrace() throws IOException {
        CliRun r = CliRun.of("model", "info", "--model", emptyModelDir().toString());
        assertEquals(Main.EXIT_FAILURE, r.exitCode(), r.toString());
        assertEquals("", r.out(), r.toString());
        assertTrue(r.err().startsWith("latentflow model info: error: "), r.toString());
        assertFalse(r.err().strip().contains("\n"), r.toString());
        assertFalse(r.err().contains("\tat "), r.toString());
    }

    @Test
    void verbosePrintsTheStackTrace() throws IOException {
        CliRun r = CliRun.of("model", "info", "--model", emptyModelDir().toString(), "--verbose");
        assertEquals(Main.EXIT_FAILURE, r.exitCode(), r.toString());
        assertTrue(r.err().contains("\tat "), r.toString());
    }

    @Test
    void helpAndVersionSucceed() {
        CliRun help = CliRun.of("model", "generate", "--help");
        assertEquals(0, help.exitCode(), help.toString());
        assertTrue(help.out().contains("--max-new-tokens"), help.toString());
        CliRun version = CliRun.of("--version");
        assertEquals(0, version.exitCode(), version.toString());
        assertTrue(version.out().startsWith("latentflow "), version.toString());
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
