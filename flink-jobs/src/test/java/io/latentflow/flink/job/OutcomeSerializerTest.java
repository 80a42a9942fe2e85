package io.latentflow.flink.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentflow.schemas.avro.DeadLetter;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Dead letters always fit a 1 MiB Kafka request: huge originals are dropped, huge messages cut, both said. */
class OutcomeSerializerTest {

    private static Outcome letter(byte[] value, String message) {
        RawEvent raw = new RawEvent("in", 2, 41, 0L, "k".getBytes(), value);
        return Outcome.deadLetter(raw, "k", "p", new IllegalArgumentException(message));
    }

    @Test
    void smallOriginalsAreKept() {
        DeadLetter d = OutcomeSerializer.deadLetter(letter(new byte[] {0, 1, 2}, "why"));
        assertEquals(ByteBuffer.wrap(new byte[] {0, 1, 2}), d.getOriginalValue());
        assertEquals("why", d.getErrorMessage());
        assertEquals(41, d.getSourceOffset());
    }

    @Test
    void aHugeOriginalIsNotKeptAndTheMessageSaysSo() {
        DeadLetter d = OutcomeSerializer.deadLetter(letter(new byte[OutcomeSerializer.MAX_ORIGINAL_BYTES], "why"));
        assertNull(d.getOriginalValue());
        assertNull(d.getOriginalKey());
        assertEquals("why [original key and value (" + (OutcomeSerializer.MAX_ORIGINAL_BYTES + 1) + " bytes) not "
                + "kept: over the dead-letter limit of " + OutcomeSerializer.MAX_ORIGINAL_BYTES + " bytes; read them "
                + "at the source coordinates]", d.getErrorMessage());
    }

    @Test
    void aHugeMessageIsCut() {
        DeadLetter d = OutcomeSerializer.deadLetter(letter(new byte[1], "x".repeat(100_000)));
        assertTrue(d.getErrorMessage().endsWith("... (100000 characters, cut)"), d.getErrorMessage());
        assertTrue(d.getErrorMessage().length() < OutcomeSerializer.MAX_MESSAGE_CHARS + 40);
    }
}
