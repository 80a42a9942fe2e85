package io.latentflow.engine.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Which register tiles the GEMM picks ({@link VectorOps#REGISTERS}), and the override's check. */
class VectorRegistersTest {
    @Test
    void avx512Has32RegistersAndAvx2Has16() {
        assertEquals(32, VectorOps.vectorRegisters(null, "amd64", 512));
        assertEquals(16, VectorOps.vectorRegisters(null, "amd64", 256));
        assertEquals(16, VectorOps.vectorRegisters("", "x86_64", 256));
        assertEquals(32, VectorOps.vectorRegisters(null, "aarch64", 128));
    }

    @Test
    void theOverrideWinsAndMustBe16Or32() {
        assertEquals(16, VectorOps.vectorRegisters("16", "amd64", 512));
        assertEquals(32, VectorOps.vectorRegisters(" 32 ", "amd64", 256));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VectorOps.vectorRegisters("24", "amd64", 256));
        assertEquals("latentflow.vectorRegisters must be 16 or 32, not 24", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> VectorOps.vectorRegisters("lots", "amd64", 256));
    }
}
