package io.latentflow.engine.checkpoint;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzzes {@link SafeTensorsFile#open} on arbitrary bytes written to a file, then reads every tensor's bytes. The only
 * allowed failure is a {@link CheckpointException}: no IndexOutOfBounds, no OutOfMemory, no hang (the 10 s timeout).
 * Plain {@code mvn test} replays {@code SafeTensorsFuzzTestInputs/fuzz/}; {@code JAZZER_FUZZ=1} fuzzes (README).
 */
class SafeTensorsFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void fuzz(FuzzedDataProvider data) throws IOException {
        byte[] bytes = data.consumeRemainingAsBytes();
        Path file = Files.createTempFile("fuzz", ".safetensors");
        try {
            Files.write(file, bytes);
            try (SafeTensorsFile f = SafeTensorsFile.open(file, 64)) { // small windows: exercise window slicing
                for (String name : f.names()) {
                    TensorInfo t = f.info(name);
                    try {
                        ByteBuffer b = f.data(name);
                        if (b.remaining() != t.byteSize()) {
                            throw new AssertionError(name + ": slice of " + b.remaining() + " bytes, header says "
                                    + t.byteSize());
                        }
                        if (b.remaining() > 0) {
                            b.get(b.remaining() - 1); // the last byte is inside the file
                        }
                    } catch (CheckpointException unreadableDtype) {
                        // documented: dtypes the engine cannot read fail when read
                    }
                }
            } catch (CheckpointException expected) {
                // the documented failure, with a message naming the file
                if (!expected.getMessage().contains(file.toString())) {
                    throw new AssertionError("message does not name the file: " + expected.getMessage());
                }
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
