package io.latentflow.engine.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentflow.engine.tensor.DType;
import io.latentflow.engine.tensor.Floats;
import io.latentflow.engine.tensor.Weight;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsRoundTripTest {
    @TempDir
    Path dir;

    static float f32(int r, int c) {
        return r * 0.5f - c * 0.25f;
    }

    static short f16bits(int r, int c) {
        return (short) ((r * 131 + c * 7) & 0x7BFF); // excludes exponent 31 (inf/nan)
    }

    static byte f8bits(int r, int c) {
        int b = (r * 31 + c * 3) & 0xFF;
        return (byte) ((b & 0x7F) == 0x7F ? 0x38 : b); // avoid NaN
    }

    static float scale(int br, int bc) {
        return 0.5f + br + 10 * bc;
    }

    /** F32 5x3, BF16 4x6, F16 3x5, F8 300x200 with 3x2 scales, F32 vector 7. */
    private void writeAll(Path file) {
        try (SafeTensorsWriter w = new SafeTensorsWriter(file)) {
            w.metadata(Map.of("format", "pt", "note", "test"));
            w.add("f32", DType.F32, new long[] {5, 3}, b -> fill(b, 5, 3, (r, c, bb, i) -> bb.putFloat(i * 4, f32(r, c))));
            w.add("bf16", DType.BF16, new long[] {4, 6}, b -> fill(b, 4, 6, (r, c, bb, i) ->
                    bb.putShort(i * 2, (short) (Float.floatToIntBits(f32(r, c)) >>> 16))));
            w.add("f16", DType.F16, new long[] {3, 5}, b -> fill(b, 3, 5, (r, c, bb, i) -> bb.putShort(i * 2, f16bits(r, c))));
            w.add("f8.weight", DType.F8_E4M3, new long[] {300, 200}, b -> fill(b, 300, 200, (r, c, bb, i) -> bb.put(i, f8bits(r, c))));
            w.add("f8.weight_scale_inv", DType.F32, new long[] {3, 2}, b -> fill(b, 3, 2, (r, c, bb, i) -> bb.putFloat(i * 4, scale(r, c))));
            w.add("vec", DType.F32, new long[] {7}, b -> {
                for (int i = 0; i < 7; i++) {
                    b.putFloat(i); // relative puts are fine too
                }
            });
            w.add("empty", DType.F32, new long[] {0, 4}, b -> { });
        }
    }

    interface Cell {
        void put(int r, int c, ByteBuffer b, int i);
    }

    private static void fill(ByteBuffer b, int rows, int cols, Cell cell) {
        assertEquals(ByteOrder.LITTLE_ENDIAN, b.order());
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                cell.put(r, c, b, r * cols + c);
            }
        }
    }

    @Test
    void roundTripAllDtypes() throws Exception {
        writeAll(dir.resolve("model.safetensors"));
        checkFile(dir.resolve("model.safetensors"));
        try (Checkpoint ck = Checkpoint.open(dir)) {
            checkWeights(ck);
        }
    }

    @Test
    void headerIsPaddedAndAligned() throws Exception {
        Path f = dir.resolve("model.safetensors");
        writeAll(f);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(b, 0);
            long n = b.getLong(0);
            assertEquals(0, n % 8);
            ByteBuffer h = ByteBuffer.allocate((int) n);
            ch.read(h, 8);
            String json = new String(h.array(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(json.startsWith("{\"__metadata__\""), json);
        }
    }

    @Test
    void smallWindowsSliceCorrectly() throws Exception {
        Path f = dir.resolve("model.safetensors");
        writeAll(f);
        try (SafeTensorsFile sf = SafeTensorsFile.open(f, 64)) { // nearly every tensor in its own window
            assertEquals(Map.of("format", "pt", "note", "test"), sf.metadata());
            ByteBuffer b = sf.data("f32");
            assertEquals(60, b.capacity());
            assertEquals(f32(4, 2), b.getFloat(4 * 14));
            ByteBuffer v = sf.data("vec");
            assertEquals(6f, v.getFloat(24));
            ByteBuffer f8 = sf.data("f8.weight");
            assertEquals(f8bits(299, 199), f8.get(299 * 200 + 199));
        }
    }

    private void checkFile(Path f) {
        try (SafeTensorsFile sf = SafeTensorsFile.open(f)) {
            assertEquals(7, sf.names().size());
            TensorInfo t = sf.info("f8.weight");
            assertArrayEquals(new long[] {300, 200}, t.shape());
            assertEquals(DType.F8_E4M3, t.dtype());
            assertTrue(sf.data("f32").isReadOnly());
            assertEquals(0, sf.data("empty").capacity());
        }
    }

    private void checkWeights(Checkpoint ck) {
        Weight a = ck.matrix("f32", 5, 3);
        Weight b = ck.matrix("bf16", 4, 6);
        Weight h = ck.matrix("f16", 3, 5);
        for (int r = 0; r < 5; r++) {
            for (int c = 0; c < 3; c++) {
                assertEquals(f32(r, c), a.get(r, c));
            }
        }
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 6; c++) {
                assertEquals(f32(r, c), b.get(r, c)); // exact: quarter steps fit bf16
            }
        }
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 5; c++) {
                assertEquals(Floats.f16(f16bits(r, c)), h.get(r, c));
            }
        }
        assertEquals(Floats.f16((short) 0x3C00), 1f);
        Weight q = ck.matrix("f8.weight", 300, 200);
        assertEquals(DType.F8_E4M3, q.dtype);
        assertEquals(3, q.scaleInv().rows);
        assertEquals(2, q.scaleInv().cols);
        for (int r = 0; r < 300; r++) {
            for (int c = 0; c < 200; c++) {
                float want = Floats.f8e4m3(f8bits(r, c)) * scale(r / 128, c / 128);
                assertEquals(want, q.get(r, c), 0f, () -> "f8 element");
            }
        }
        // Row slice crossing a scale-block boundary keeps the tensor's block rows.
        Weight s = q.rows(120, 150);
        assertEquals(120, s.rowBase());
        for (int r = 0; r < 150; r++) {
            for (int c = 0; c < 200; c += 13) {
                assertEquals(q.get(120 + r, c), s.get(r, c), 0f);
            }
        }
        // 0x38 is 1.0 in e4m3: element with those bits decodes to exactly its scale.
        assertEquals(1f, Floats.f8e4m3((byte) 0x38));
        Weight v = ck.vector("vec", 7);
        assertEquals(1, v.rows);
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 6}, v.toFloats());
        assertTrue(ck.has("vec"));
        assertFalse(ck.has("nope"));
    }

    @Test
    void shardedCheckpoint() throws Exception {
        try (SafeTensorsWriter w = new SafeTensorsWriter(dir.resolve("model-00001-of-00002.safetensors"))) {
            w.add("a", DType.F32, new long[] {2, 2}, b -> b.asFloatBuffer().put(new float[] {1, 2, 3, 4}));
        }
        try (SafeTensorsWriter w = new SafeTensorsWriter(dir.resolve("model-00002-of-00002.safetensors"))) {
            w.add("b", DType.F32, new long[] {3}, b -> b.asFloatBuffer().put(new float[] {5, 6, 7}));
        }
        Files.writeString(dir.resolve("model.safetensors.index.json"), "{\"metadata\": {\"total_size\": 28},"
                + " \"weight_map\": {\"a\": \"model-00001-of-00002.safetensors\","
                + " \"b\": \"model-00002-of-00002.safetensors\"}}");
        try (Checkpoint ck = Checkpoint.open(dir)) {
            assertEquals(java.util.Set.of("a", "b"), ck.names());
            assertEquals(4f, ck.matrix("a", 2, 2).get(1, 1));
            assertEquals(7f, ck.vector("b", 3).get(0, 2));
        }
        Files.writeString(dir.resolve("model.safetensors.index.json"),
                "{\"weight_map\": {\"a\": \"../evil.safetensors\"}}");
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.open(dir));
        assertTrue(e.getMessage().contains("../evil.safetensors") && e.getMessage().contains("escapes"), e.getMessage());
        Files.writeString(dir.resolve("model.safetensors.index.json"),
                "{\"weight_map\": {\"a\": \"model-00003-of-00002.safetensors\"}}");
        e = assertThrows(CheckpointException.class, () -> Checkpoint.open(dir));
        assertTrue(e.getMessage().contains("model-00003-of-00002.safetensors") && e.getMessage().contains("does not exist"),
                e.getMessage());
        Files.writeString(dir.resolve("model.safetensors.index.json"),
                "{\"weight_map\": {\"b\": \"model-00001-of-00002.safetensors\"}}");
        e = assertThrows(CheckpointException.class, () -> Checkpoint.open(dir));
        assertTrue(e.getMessage().contains("'b'") && e.getMessage().contains("does not contain"), e.getMessage());
    }

    /** A sparse file whose last tensor starts past 4 GiB: offsets are longs and windows map it. */
    @Test
    void tensorsPastFourGigabytes() throws Exception {
        Path f = dir.resolve("big.safetensors");
        long gap = (4L << 30) + 12;
        String header = "{\"pad\":{\"dtype\":\"U8\",\"shape\":[" + (2L << 30) + "],\"data_offsets\":[0," + (2L << 30) + "]},"
                + "\"mid\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[" + (2L << 30) + "," + ((2L << 30) + 8) + "]},"
                + "\"last\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[" + gap + "," + (gap + 8) + "]}}";
        byte[] h = header.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        long dataStart = 8 + h.length;
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(8 + h.length).order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(h.length).put(h).flip();
            ch.write(b, 0);
            ByteBuffer v = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            v.putFloat(3.5f).putFloat(-1.25f).flip();
            ch.write(v, dataStart + gap);
            v.clear();
            v.putFloat(9f).putFloat(8f).flip();
            ch.write(v, dataStart + (2L << 30));
        }
        try (SafeTensorsFile sf = SafeTensorsFile.open(f)) {
            assertEquals(-1.25f, sf.data("last").getFloat(4));
            assertEquals(9f, sf.data("mid").getFloat(0));
            CheckpointException e = assertThrows(CheckpointException.class, () -> sf.data("pad"));
            assertTrue(e.getMessage().contains("U8"), e.getMessage());
        }
    }
}
