package io.latentflow.engine.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The security side of the reader's bounds checks (see also {@link SafeTensorsCorruptTest#offsetsOutOfBounds},
 * {@code headerLengthPastEnd}, {@code headerLengthAbsurd} and {@code overlappingTensors}): offsets near
 * {@code Long.MAX_VALUE} or beyond 64 bits, which could wrap an unchecked {@code start + offset}, are refused at
 * open, before any byte is mapped; a tensor that ends exactly at the end of the file is read.
 */
class SafeTensorsOffsetsTest {
    @TempDir
    Path dir;

    private Path write(String header, int dataBytes) throws Exception {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path f = dir.resolve("model.safetensors");
        Files.write(f, b.array());
        return f;
    }

    private static String tensor(String begin, String end) {
        return "{\"w\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[" + begin + "," + end + "]}}";
    }

    @Test
    void offsetsThatWouldWrapAroundAreRefused() throws Exception {
        String max = Long.toString(Long.MAX_VALUE);
        for (String[] off : new String[][] {{Long.toString(Long.MAX_VALUE - 3), max}, {"0", max},
            {"18446744073709551612", "18446744073709551616"}, {"4", "8"}, {"1", "5"}}) {
            Path f = write(tensor(off[0], off[1]), 4);
            CheckpointException e = assertThrows(CheckpointException.class, () -> SafeTensorsFile.open(f),
                    "[" + off[0] + ", " + off[1] + "]");
            assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("'w'"), e.getMessage());
        }
    }

    @Test
    void aTensorEndingAtTheLastByteIsRead() throws Exception {
        Path f = write(tensor("0", "4"), 4);
        try (SafeTensorsFile st = SafeTensorsFile.open(f)) {
            assertEquals(4, st.info("w").shape()[0]);
        }
    }
}
