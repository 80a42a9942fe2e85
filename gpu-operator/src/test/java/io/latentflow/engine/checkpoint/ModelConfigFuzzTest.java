package io.latentflow.engine.checkpoint;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzzes {@link ModelConfigParser#parse} on arbitrary text as {@code config.json}. The only allowed failure is a
 * {@link CheckpointException} naming the file; a config that parses must be usable (positive sizes).
 * Plain {@code mvn test} replays {@code ModelConfigFuzzTestInputs/fuzz/}; {@code JAZZER_FUZZ=1} fuzzes (README).
 */
class ModelConfigFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void fuzz(FuzzedDataProvider data) throws IOException {
        byte[] json = data.consumeRemainingAsBytes();
        Path file = Files.createTempFile("fuzz-config", ".json");
        try {
            Files.write(file, json);
            ModelConfig c = ModelConfigParser.parse(file);
            if (c.vocabSize() <= 0 || c.hiddenSize() <= 0 || c.numHiddenLayers() <= 0
                    || c.maxPositionEmbeddings() <= 0) {
                throw new AssertionError("accepted an unusable config: " + c);
            }
        } catch (CheckpointException expected) {
            if (!expected.getMessage().contains(file.toString())) {
                throw new AssertionError("message does not name the file: " + expected.getMessage());
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
