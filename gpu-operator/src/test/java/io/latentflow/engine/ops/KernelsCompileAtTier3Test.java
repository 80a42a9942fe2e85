package io.latentflow.engine.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every kernel must compile at tier 3 (C1 with full profiling). HotSpot sometimes compiles a hot
 * method at tier 2 instead (when the C2 queue is long) and later moves it to tier 3 to collect the
 * profile that C2 needs. A kernel that C1 can compile at tier 2 but not at tier 3 stays at tier 2 for
 * good: C1 does not intrinsify the Vector API, so that kernel then runs about 20 times slower, without
 * an error (seen with the 12-row stage-filling tile: "out of virtual registers in linear scan"). This
 * runs {@link KernelWorkout} in a JVM that stops at tier 3 and fails on any of our methods that C1
 * skipped, once with the tiles of each register count ({@link VectorOps#REGISTERS}).
 */
class KernelsCompileAtTier3Test {
    @ParameterizedTest(name = "{0} vector registers")
    @CsvSource({"32, StagedWideTiles::bf16x12Fill", "16, SixRowTiles::bf16x6Fill"})
    @Timeout(300)
    void noKernelIsTooLargeForC1(int registers, String fillKernel, @TempDir Path dir)
            throws IOException, InterruptedException {
        Path log = dir.resolve("compilation.txt");
        Path err = dir.resolve("stderr.txt");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector",
                "-Dlatentflow.vectorRegisters=" + registers, "-XX:TieredStopAtLevel=3", "-XX:CompileThresholdScaling=0.05", "-XX:+PrintCompilation",
                "-cp", System.getProperty("java.class.path"), KernelWorkout.class.getName())
                .redirectOutput(log.toFile())
                .redirectError(err.toFile())
                .start();
        assertTrue(child.waitFor(280, TimeUnit.SECONDS), "the workout did not finish");
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        List<String> errors = Files.readAllLines(err, StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), String.join("\n", errors));
        assertTrue(errors.contains("workout done"), "workout stderr: " + String.join("\n", errors));
        assertTrue(lines.stream().anyMatch(l -> l.contains(fillKernel)),
                "the workout must make the stage-filling tile hot enough to compile");
        List<String> skipped = lines.stream()
                .filter(l -> l.contains("io.latentflow.") && l.contains("COMPILE SKIPPED"))
                .collect(Collectors.toList());
        assertTrue(skipped.isEmpty(), "C1 could not compile:\n" + String.join("\n", skipped));
    }
}
