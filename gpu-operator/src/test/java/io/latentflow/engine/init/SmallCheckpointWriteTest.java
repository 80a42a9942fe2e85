package io.latentflow.engine.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentflow.engine.checkpoint.Checkpoint;
import io.latentflow.engine.checkpoint.ModelConfig;
import io.latentflow.engine.init.RandomCheckpoint.Preset;
import io.latentflow.engine.init.RandomCheckpoint.Variant;
import io.latentflow.engine.tensor.Weight;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes the ~0.93 GB SMALL checkpoint and reads it back; opt-in ({@code -Dlatentflow.bigTests=true})
 * because it needs a GB of disk.
 */
@EnabledIfSystemProperty(named = "latentflow.bigTests", matches = "true")
class SmallCheckpointWriteTest {
    @TempDir
    Path dir;

    @Test
    void writesSmallQuickly() throws Exception {
        long t0 = System.nanoTime();
        ModelConfig cfg = RandomCheckpoint.write(Preset.SMALL, Variant.V3, 1, dir);
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("SMALL written in %.1f s, %d bytes%n", secs, Files.size(dir.resolve("model.safetensors")));
        assertTrue(secs < 60, "took " + secs + " s");
        try (Checkpoint ck = Checkpoint.open(dir)) {
            long n = 0;
            for (TensorSpec s : RandomCheckpoint.tensorSpecs(cfg)) {
                assertTrue(ck.has(s.name()), s.name());
                n += s.numel();
            }
            assertEquals(462_936_288L, n);
            Weight w = ck.matrix("lm_head.weight", 32000, 1024);
            float v = w.get(31999, 1023);
            assertTrue(Math.abs(v) < 0.1 && v != 0, "value " + v);
        }
    }
}
