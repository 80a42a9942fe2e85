package io.latentflow.engine.checkpoint;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentflow.engine.tensor.DType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Every malformed file must fail as a CheckpointException naming the file (and tensor), nothing else. */
class SafeTensorsCorruptTest {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("model.safetensors");
    }

    /** Writes an 8-byte length (as given), the header text and dataBytes bytes of data. */
    private void raw(long declaredLen, String header, int dataBytes) throws Exception {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(declaredLen).put(h);
        Files.write(file(), b.array());
    }

    private void raw(String header, int dataBytes) throws Exception {
        raw(header.getBytes(StandardCharsets.UTF_8).length, header, dataBytes);
    }

    private static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":["
                + begin + "," + end + "]}";
    }

    private void fails(Executable open, String... parts) {
        CheckpointException e = assertThrows(CheckpointException.class, open);
        assertTrue(e.getMessage().contains(file().toString()), () -> "no file in: " + e.getMessage());
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), () -> "'" + e.getMessage() + "' lacks '" + p + "'");
        }
    }

    private void openFails(String... parts) {
        fails(() -> SafeTensorsFile.open(file()), parts);
        fails(() -> Checkpoint.open(dir), parts);
    }

    @Test
    void shorterThanEightBytes() throws Exception {
        Files.write(file(), new byte[] {1, 2, 3});
        openFails("shorter than");
    }

    @Test
    void emptyFile() throws Exception {
        Files.write(file(), new byte[0]);
        openFails("shorter than");
    }

    @Test
    void headerLengthPastEnd() throws Exception {
        raw(5000, "{}", 0);
        openFails("past the end");
    }

    @Test
    void headerLengthAbsurd() throws Exception {
        raw(1L << 40, "{}", 0);
        openFails("absurd");
        raw(-1, "{}", 0);
        openFails("absurd");
    }

    @Test
    void headerNotJson() throws Exception {
        raw("{\"a\": [1, 2", 0);
        openFails("not valid JSON");
        raw("[1,2,3]", 0);
        openFails("not a JSON object");
    }

    @Test
    void duplicateTensorName() throws Exception {
        raw("{" + entry("w", "F32", "[1]", 0, 4) + "," + entry("w", "F32", "[1]", 4, 8) + "}", 8);
        openFails("not valid JSON", "w");
    }

    @Test
    void entryMissingFields() throws Exception {
        raw("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4);
        openFails("'w'", "dtype");
        raw("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4);
        openFails("'w'", "shape");
        raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4);
        openFails("'w'", "data_offsets");
        raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", 4);
        openFails("'w'", "data_offsets");
        raw("{\"w\":7}", 4);
        openFails("'w'", "not a JSON object");
    }

    @Test
    void badShapes() throws Exception {
        raw("{" + entry("w", "F32", "[-1, 2]", 0, 4) + "}", 4);
        openFails("'w'", "shape");
        raw("{" + entry("w", "F32", "[1.5]", 0, 4) + "}", 4);
        openFails("'w'", "shape");
        raw("{" + entry("w", "F32", "[\"2\"]", 0, 8) + "}", 8);
        openFails("'w'", "shape");
        raw("{" + entry("w", "F32", "[4611686018427387904, 4]", 0, 8) + "}", 8);
        openFails("'w'", "overflows");
    }

    @Test
    void offsetsOutOfBounds() throws Exception {
        raw("{" + entry("w", "F32", "[4]", 0, 16) + "}", 8);
        openFails("'w'", "out of bounds");
        raw("{" + entry("w", "F32", "[1]", 8, 4) + "}", 8);
        openFails("'w'", "out of bounds");
        raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}", 8);
        openFails("'w'", "data_offsets");
    }

    @Test
    void overlappingTensors() throws Exception {
        raw("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[2]", 4, 12) + "}", 12);
        openFails("'a'", "'b'", "overlap");
    }

    @Test
    void sizeMismatch() throws Exception {
        raw("{" + entry("w", "BF16", "[3]", 0, 8) + "}", 8);
        openFails("'w'", "needs 6");
        raw("{" + entry("w", "I64", "[2]", 0, 8) + "}", 8);
        openFails("'w'", "needs 16");
    }

    @Test
    void trailingGarbageIsFine() throws Exception {
        raw("{" + entry("w", "F32", "[1]", 0, 4) + "}", 100);
        try (Checkpoint ck = Checkpoint.open(dir)) {
            ck.vector("w", 1);
        }
    }

    @Test
    void unknownDtypeFailsOnlyWhenRead() throws Exception {
        raw("{" + entry("ids", "I64", "[2]", 0, 16) + "," + entry("w", "F32", "[2]", 16, 24) + ","
                + entry("x", "F64", "[1]", 24, 32) + "," + entry("y", "WEIRD", "[3]", 32, 33) + "}", 33);
        try (Checkpoint ck = Checkpoint.open(dir)) {
            ck.vector("w", 2);
            fails(() -> ck.vector("ids", 2), "tensor ids in", "has dtype I64, which the engine cannot read");
            fails(() -> ck.matrix("x", 1, 1), "tensor x in", "F64");
            fails(() -> ck.vector("y", 3), "tensor y in", "WEIRD");
        }
    }

    @Test
    void missingTensorAndWrongShape() throws Exception {
        raw("{" + entry("w", "F32", "[2, 3]", 0, 24) + "}", 24);
        try (Checkpoint ck = Checkpoint.open(dir)) {
            CheckpointException e = assertThrows(CheckpointException.class, () -> ck.matrix("v", 2, 3));
            assertTrue(e.getMessage().equals("missing tensor 'v' in " + dir), e.getMessage());
            fails(() -> ck.matrix("w", 3, 2), "tensor 'w' in", "has shape [2, 3], expected [3, 2]");
            fails(() -> ck.vector("w", 6), "tensor 'w' in", "has shape [2, 3], expected [6]");
        }
    }

    @Test
    void missingOrWrongF8Scale() throws Exception {
        try (SafeTensorsWriter w = new SafeTensorsWriter(file())) {
            w.add("q.weight", DType.F8_E4M3, new long[] {130, 4}, b -> { });
            w.add("k.weight", DType.F8_E4M3, new long[] {130, 4}, b -> { });
            w.add("k.weight_scale_inv", DType.F32, new long[] {1, 1}, b -> { });
            w.add("v.weight", DType.F8_E4M3, new long[] {130, 4}, b -> { });
            w.add("v.weight_scale_inv", DType.BF16, new long[] {2, 1}, b -> { });
        }
        try (Checkpoint ck = Checkpoint.open(dir)) {
            fails(() -> ck.matrix("q.weight", 130, 4), "'q.weight'", "'q.weight_scale_inv' is missing");
            fails(() -> ck.matrix("k.weight", 130, 4), "'k.weight_scale_inv'", "'k.weight'", "[1, 1]", "expected F32 [2, 1]");
            fails(() -> ck.matrix("v.weight", 130, 4), "'v.weight_scale_inv'", "BF16");
        }
    }

    @Test
    void noCheckpointInDirectory() {
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.open(dir));
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    }
}
