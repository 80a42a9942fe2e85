package io.latentflow.engine.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which register tiles the GEMM picks ({@link VectorOps#REGISTERS}, {@link PanelGemm#NARROW_PASSES}), and
 * the overrides' checks.
 */
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

    @Test
    void narrowPassesRunOnAmdCoresUnlessOverridden() {
        assertTrue(PanelGemm.narrowPasses(null, "AuthenticAMD"));
        assertFalse(PanelGemm.narrowPasses(null, "GenuineIntel"));
        assertFalse(PanelGemm.narrowPasses("", ""));
        assertTrue(PanelGemm.narrowPasses(" true", "GenuineIntel"));
        assertFalse(PanelGemm.narrowPasses("false", "AuthenticAMD"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PanelGemm.narrowPasses("yes", "AuthenticAMD"));
        assertEquals("latentflow.narrowPasses must be true or false, not yes", e.getMessage());
    }

    @Test
    void theVendorIsCpuinfosFirstVendorId(@TempDir Path dir) throws IOException {
        Path cpuinfo = dir.resolve("cpuinfo");
        Files.writeString(cpuinfo, "processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\n\n"
                + "processor\t: 1\nvendor_id\t: AuthenticAMD\n");
        assertEquals("GenuineIntel", VectorOps.cpuVendor(cpuinfo));
        Files.writeString(cpuinfo, "processor\t: 0\nBogoMIPS\t: 50.00\n"); // aarch64 has no vendor_id
        assertEquals("", VectorOps.cpuVendor(cpuinfo));
        assertEquals("", VectorOps.cpuVendor(dir.resolve("missing")));
    }
}
