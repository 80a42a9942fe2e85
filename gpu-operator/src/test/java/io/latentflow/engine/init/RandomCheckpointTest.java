package io.latentflow.engine.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentflow.engine.checkpoint.Checkpoint;
import io.latentflow.engine.checkpoint.ModelConfig;
import io.latentflow.engine.checkpoint.ModelConfigParser;
import io.latentflow.engine.checkpoint.TensorInfo;
import io.latentflow.engine.init.RandomCheckpoint.Preset;
import io.latentflow.engine.init.RandomCheckpoint.Variant;
import io.latentflow.engine.tensor.DType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RandomCheckpointTest {
    static final Path GOLDEN = Path.of("/work/shared/golden");

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Variant.class)
    void tinyWritesAndReopens(Variant variant) throws Exception {
        ModelConfig cfg = RandomCheckpoint.write(Preset.TINY, variant, 42, dir);
        assertEquals(cfg, ModelConfigParser.parse(dir.resolve("config.json")));
        List<TensorSpec> specs = RandomCheckpoint.tensorSpecs(cfg);
        try (Checkpoint ck = Checkpoint.open(dir)) {
            assertEquals(specs.size(), ck.names().size());
            for (TensorSpec s : specs) {
                TensorInfo t = ck.info(s.name());
                assertArrayEquals(s.shape(), t.shape(), s.name());
                assertEquals(DType.F32, t.dtype());
                float[] v = s.shape().length == 2
                        ? ck.matrix(s.name(), (int) s.shape()[0], (int) s.shape()[1]).toFloats()
                        : ck.vector(s.name(), (int) s.shape()[0]).toFloats();
                if (s.init() == TensorSpec.Init.ONES) {
                    for (float x : v) {
                        assertEquals(1f, x);
                    }
                }
            }
            float[] emb = ck.matrix("model.embed_tokens.weight", 512, 64).toFloats();
            double sum = 0;
            double sq = 0;
            for (float x : emb) {
                sum += x;
                sq += x * x;
            }
            double mean = sum / emb.length;
            double sd = Math.sqrt(sq / emb.length - mean * mean);
            assertEquals(0, mean, 0.001);
            assertEquals(0.02, sd, 0.001);
        }
    }

    /** TINY has the golden files' tensor names (golden tiny configs differ only in sizes). */
    @Test
    void tinyNamesMatchGoldenLayout() throws Exception {
        checkNamesLike("tiny-v3", RandomCheckpoint.config(Preset.TINY, Variant.V3));
        checkNamesLike("tiny-v2-lite", RandomCheckpoint.config(Preset.TINY, Variant.V2));
    }

    private void checkNamesLike(String golden, ModelConfig ours) {
        ModelConfig g = ModelConfigParser.parse(GOLDEN.resolve(golden).resolve("config.json"));
        Set<String> want;
        try (Checkpoint ck = Checkpoint.open(GOLDEN.resolve(golden))) {
            want = new HashSet<>(ck.names());
        }
        Set<String> got = new HashSet<>();
        for (TensorSpec s : RandomCheckpoint.tensorSpecs(g)) {
            got.add(s.name());
        }
        assertEquals(want, got, golden);
        assertEquals(g.topkMethod(), ours.topkMethod());
        assertEquals(g.qLoraRank() > 0, ours.qLoraRank() > 0);
        // Golden shapes equal the specs for the golden config.
        try (Checkpoint ck = Checkpoint.open(GOLDEN.resolve(golden))) {
            for (TensorSpec s : RandomCheckpoint.tensorSpecs(g)) {
                assertArrayEquals(ck.info(s.name()).shape(), s.shape(), s.name());
            }
        }
    }

    @Test
    void deterministicPerSeed() throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        Path c = dir.resolve("c");
        RandomCheckpoint.write(Preset.TINY, Variant.V3, 7, a);
        RandomCheckpoint.write(Preset.TINY, Variant.V3, 7, b);
        RandomCheckpoint.write(Preset.TINY, Variant.V3, 8, c);
        byte[] fa = Files.readAllBytes(a.resolve("model.safetensors"));
        assertArrayEquals(fa, Files.readAllBytes(b.resolve("model.safetensors")));
        assertFalse(java.util.Arrays.equals(fa, Files.readAllBytes(c.resolve("model.safetensors"))));
    }

    @Test
    void smallHasTheBenchmarkShapes() {
        ModelConfig cfg = RandomCheckpoint.config(Preset.SMALL, Variant.V3);
        long total = 0;
        long active = 0;
        for (TensorSpec s : RandomCheckpoint.tensorSpecs(cfg)) {
            total += s.numel();
            String n = s.name();
            if (n.equals("model.embed_tokens.weight")) {
                continue; // a lookup, not compute
            }
            int e = n.indexOf(".experts.");
            if (e >= 0) {
                int expert = Integer.parseInt(n.substring(e + 9, n.indexOf('.', e + 9)));
                if (expert >= cfg.numExpertsPerTok()) {
                    continue; // count top-k experts per layer
                }
            }
            active += s.numel();
        }
        assertEquals(462_936_288L, total);
        assertEquals(121_886_944L, active);
        long v2 = RandomCheckpoint.tensorSpecs(RandomCheckpoint.config(Preset.SMALL, Variant.V2)).stream()
                .mapToLong(TensorSpec::numel).sum();
        assertEquals(total - 7 * 32, v2); // no e_score_correction_bias
        ModelConfig medium = RandomCheckpoint.config(Preset.MEDIUM, Variant.V3);
        long m = RandomCheckpoint.tensorSpecs(medium).stream().mapToLong(TensorSpec::numel).sum();
        assertTrue(m * 2 > 3_500_000_000L && m * 2 < 4_500_000_000L, "MEDIUM BF16 bytes " + m * 2);
    }

    @Test
    void presetConfigsRoundTripThroughJson() throws Exception {
        for (Preset p : Preset.values()) {
            for (Variant v : Variant.values()) {
                ModelConfig cfg = RandomCheckpoint.config(p, v);
                Path f = dir.resolve(p + "-" + v + ".json");
                io.latentflow.engine.checkpoint.ModelConfigWriter.write(cfg, "bfloat16", f);
                assertEquals(cfg, ModelConfigParser.parse(f));
                assertNotEquals(v == Variant.V3, cfg.modelType().equals("deepseek_v2"));
            }
        }
    }
}
