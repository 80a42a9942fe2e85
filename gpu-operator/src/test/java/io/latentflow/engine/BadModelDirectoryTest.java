package io.latentflow.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.latentflow.engine.checkpoint.CheckpointException;
import io.latentflow.engine.init.RandomCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configuration-level bad inputs of docs/bad-input.md at {@link Engine#open}: a model directory without its files, or
 * whose tokenizer does not fit the model. Each fails at load with the exact message naming the file.
 */
class BadModelDirectoryTest {

    private static EngineConfig config(Path dir) {
        return EngineConfig.defaults(dir).withBackend(io.latentflow.engine.ops.Backend.SCALAR).withThreads(1);
    }

    @Test
    void noConfigJson(@TempDir Path dir) {
        Path missing = dir.resolve("nope");
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> Engine.open(config(missing)));
        assertEquals(missing.resolve("config.json") + ": no such file (is the model directory right?)",
                e.getMessage());
    }

    @Test
    void configWithoutWeights(@TempDir Path dir) throws Exception {
        RandomCheckpoint.writeWithTokenizer(RandomCheckpoint.Preset.TINY, RandomCheckpoint.Variant.V3, 1, dir);
        Files.delete(dir.resolve("model.safetensors"));
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> Engine.open(config(dir)));
        assertEquals(dir + ": no model.safetensors or model.safetensors.index.json", e.getMessage());
    }

    @Test
    void tokenizerVocabularyLargerThanTheModels(@TempDir Path dir) throws Exception {
        RandomCheckpoint.writeWithTokenizer(RandomCheckpoint.Preset.TINY, RandomCheckpoint.Variant.V3, 1, dir);
        Path config = dir.resolve("config.json");
        String json = Files.readString(config);
        Files.writeString(config, json.replaceFirst("\"vocab_size\"\\s*:\\s*512", "\"vocab_size\": 300"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Engine.open(config(dir)));
        assertEquals(dir.resolve("tokenizer.json") + " has 512 tokens, more than the model's vocab_size 300",
                e.getMessage());
    }
}
