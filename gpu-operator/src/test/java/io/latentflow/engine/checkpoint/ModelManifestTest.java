package io.latentflow.engine.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentflow.engine.Engine;
import io.latentflow.engine.EngineConfig;
import io.latentflow.engine.init.RandomCheckpoint;
import io.latentflow.engine.ops.Backend;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SHA256SUMS: written over every file, in sha256sum's format; a flipped byte, a missing listed file, an unlisted
 * weight or JSON file and a path outside the directory are refused with the file named, by {@link ModelManifest}
 * and by {@link Engine#open}.
 */
class ModelManifestTest {
    @TempDir
    Path dir;

    private Path model() {
        Path m = dir.resolve("m");
        RandomCheckpoint.writeWithTokenizer(RandomCheckpoint.Preset.TINY, RandomCheckpoint.Variant.V3, 3, m);
        return m;
    }

    private static EngineConfig config(Path m) {
        return EngineConfig.defaults(m).withBackend(Backend.SCALAR).withThreads(1).withCacheBudgetBytes(1L << 22);
    }

    private static CheckpointException refused(Path m, String... parts) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> ModelManifest.verify(m));
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + e.getMessage() + "' lacks '" + p + "'");
        }
        CheckpointException viaEngine = assertThrows(CheckpointException.class, () -> Engine.open(config(m)).close());
        assertEquals(e.getMessage(), viaEngine.getMessage(), "Engine.open refuses it the same way");
        return e;
    }

    @Test
    void roundTripCoversEveryFileAndLoads() throws Exception {
        Path m = model();
        Files.writeString(m.resolve("README.md"), "notes");
        Map<String, String> sums = ModelManifest.write(m);
        assertTrue(sums.keySet().containsAll(List.of("config.json", "model.safetensors", "tokenizer.json",
                "README.md")), sums.toString());
        assertFalse(sums.containsKey(ModelManifest.FILE));
        assertEquals(sums, ModelManifest.read(m.resolve(ModelManifest.FILE)));
        for (String line : Files.readAllLines(m.resolve(ModelManifest.FILE))) {
            assertTrue(line.matches("[0-9a-f]{64}  \\S+"), "sha256sum format: " + line);
        }
        ModelManifest.verify(m);
        assertTrue(ModelManifest.verifyIfPresent(m));
        try (Engine engine = Engine.open(config(m))) {
            assertTrue(engine.promptLogits(new int[] {1, 2}).length == 2);
        }
        Files.writeString(m.resolve("README.md"), "edited: not read by the engine, so not a reason to refuse");
        Files.writeString(m.resolve("LICENSE"), "unlisted, not read by the engine");
        assertThrows(CheckpointException.class, () -> ModelManifest.verify(m), "a listed file changed");
    }

    @Test
    void theCoreutilsToolAgrees() throws Exception {
        Path m = model();
        ModelManifest.write(m);
        Process p;
        try {
            p = new ProcessBuilder("sha256sum", "--check", "--quiet", ModelManifest.FILE).directory(m.toFile())
                    .redirectErrorStream(true).start();
        } catch (java.io.IOException noTool) {
            org.junit.jupiter.api.Assumptions.abort("no sha256sum on this machine");
            return;
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void aTamperedWeightByteIsRefusedNamingTheFile() throws Exception {
        Path m = model();
        ModelManifest.write(m);
        Path weights = m.resolve("model.safetensors");
        try (RandomAccessFile f = new RandomAccessFile(weights.toFile(), "rw")) {
            long at = f.length() - 100; // in the tensor data, not the header: the reader alone would not notice
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x01);
        }
        refused(m, weights.toString(), "does not match", ModelManifest.FILE, "refusing to load");
    }

    @Test
    void aListedFileThatIsMissingIsRefused() throws Exception {
        Path m = model();
        ModelManifest.write(m);
        Files.delete(m.resolve("tokenizer.json"));
        refused(m, m.resolve("tokenizer.json").toString(), "listed", "missing");
    }

    @Test
    void anUnlistedWeightOrJsonFileIsRefused() throws Exception {
        Path m = model();
        ModelManifest.write(m);
        Files.copy(m.resolve("model.safetensors"), m.resolve("model-00002-of-00002.safetensors"));
        refused(m, "model-00002-of-00002.safetensors", "not listed");
        Files.delete(m.resolve("model-00002-of-00002.safetensors"));
        Files.writeString(m.resolve(Checkpoint.INDEX), "{\"weight_map\":{}}");
        refused(m, Checkpoint.INDEX, "not listed");
    }

    @Test
    void malformedManifestsAreRefused() throws Exception {
        Path m = model();
        String hex = "0".repeat(64);
        Path manifest = m.resolve(ModelManifest.FILE);
        for (String[] bad : new String[][] {
            {hex + "  ../outside.safetensors\n", "not a plain file name"},
            {hex + "  /etc/passwd\n", "not a plain file name"},
            {"abc  config.json\n", "line 1"},
            {hex + "  config.json\n" + hex + " *config.json\n", "listed twice"},
            {"# nothing\n", "lists no files"}}) {
            Files.writeString(manifest, bad[0]);
            CheckpointException e = assertThrows(CheckpointException.class, () -> ModelManifest.verify(m));
            assertTrue(e.getMessage().contains(manifest.toString()) && e.getMessage().contains(bad[1]),
                    e.getMessage());
        }
    }

    @Test
    void aRequiredManifestThatIsAbsentIsRefused() {
        Path m = model();
        System.setProperty(ModelManifest.REQUIRE_PROPERTY, "true");
        try {
            CheckpointException e = assertThrows(CheckpointException.class, () -> ModelManifest.verifyIfPresent(m));
            assertTrue(e.getMessage().contains("no " + ModelManifest.FILE), e.getMessage());
        } finally {
            System.clearProperty(ModelManifest.REQUIRE_PROPERTY);
        }
        assertFalse(ModelManifest.verifyIfPresent(m), "not required: loads unverified, with a warning");
    }
}
