package io.latentflow.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentflow.engine.EngineConfig.MlaMode;
import io.latentflow.engine.checkpoint.Checkpoint;
import io.latentflow.engine.checkpoint.ModelConfig;
import io.latentflow.engine.checkpoint.ModelConfigParser;
import io.latentflow.engine.golden.GoldenCases;
import io.latentflow.engine.ops.ScalarOps;
import io.latentflow.engine.ops.VectorOps;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What the latent cache holds per token, and that decoding on it equals the full forward pass. */
class LatentCacheTest {

    static List<String> models() {
        return GoldenCases.models();
    }

    @ParameterizedTest
    @MethodSource("models")
    void cachesOnlyTheLatentAndTheRopeKeyPerTokenAndLayer(String model) {
        ModelConfig c = ModelConfigParser.parse(GoldenCases.dir(model).resolve("config.json"));
        long perToken = (long) c.numHiddenLayers() * (c.kvLoraRank() + c.qkRopeHeadDim()) * Float.BYTES;
        LatentKvCache cache = new LatentKvCache(c, 100 * perToken);
        assertEquals(perToken, cache.bytesPerToken());
        try (Sequence s = cache.tryAllocate(60)) {
            assertEquals(60 * perToken, s.ownBytes(), "a sequence holds exactly its tokens' latent rows");
            assertEquals(60 * perToken, cache.reservedBytes());
            assertNull(cache.tryAllocate(41), "no room beyond the budget");
            try (Sequence child = cache.tryAllocateChild(s, 60, 40)) {
                assertEquals(40 * perToken, child.ownBytes(), "a child shares its parent's prefix");
                assertEquals(60, child.length());
            }
        }
        assertEquals(0, cache.reservedBytes());
    }

    @ParameterizedTest
    @MethodSource("models")
    void absorbedDecodeEqualsTheFullForward(String model) {
        ModelConfig c = ModelConfigParser.parse(GoldenCases.dir(model).resolve("config.json"));
        int vocab = c.vocabSize();
        int[] tokens = {3, 141, 59, 26, 53, 58, 97, 93, 238, 46, 2, 64, 33, 83, 27, 95};
        int prefix = 5;
        try (Checkpoint ckpt = Checkpoint.open(GoldenCases.dir(model)); ScalarOps ops = new ScalarOps()) {
            DeepSeekModel m = new DeepSeekModel(c, ckpt, ops);
            LatentKvCache cache = new LatentKvCache(c, 1 << 20);
            float[] full;
            try (Sequence s = cache.tryAllocate(tokens.length)) {
                full = m.forward(List.of(new Chunk(s, tokens, true)), MlaMode.EXPANDED).clone();
            }
            try (Sequence s = cache.tryAllocate(tokens.length)) {
                m.forward(List.of(new Chunk(s, java.util.Arrays.copyOf(tokens, prefix), false)), MlaMode.EXPANDED);
                for (int t = prefix; t < tokens.length; t++) {
                    float[] step = m.forward(List.of(new Chunk(s, new int[] {tokens[t]}, false)), MlaMode.ABSORBED);
                    double d = GoldenCases.maxAbsDiff(full, t * vocab, java.util.Arrays.copyOf(step, vocab), vocab);
                    assertTrue(d < 1e-4, model + " position " + t + ": absorbed decode differs by " + d);
                }
            }
        }
    }

    /**
     * Children over a shared prefix, decoded side by side in one absorbed step on the vector backend:
     * each row's attention spans its parent's rows and its own, and must equal the full forward.
     */
    @ParameterizedTest
    @MethodSource("models")
    void absorbedDecodeOfChildrenSpansTheSharedPrefix(String model) {
        ModelConfig c = ModelConfigParser.parse(GoldenCases.dir(model).resolve("config.json"));
        int vocab = c.vocabSize();
        int[] tokens = {3, 141, 59, 26, 53, 58, 97, 93, 238, 46, 2, 64};
        int prefix = 7;
        try (Checkpoint ckpt = Checkpoint.open(GoldenCases.dir(model)); VectorOps ops = new VectorOps(2)) {
            DeepSeekModel m = new DeepSeekModel(c, ckpt, ops);
            LatentKvCache cache = new LatentKvCache(c, 1 << 20);
            float[] full;
            try (Sequence s = cache.tryAllocate(tokens.length)) {
                full = m.forward(List.of(new Chunk(s, tokens, true)), MlaMode.EXPANDED).clone();
            }
            try (Sequence parent = cache.tryAllocate(prefix);
                 Sequence a = cache.tryAllocateChild(parent, prefix, tokens.length - prefix);
                 Sequence b = cache.tryAllocateChild(parent, prefix, tokens.length - prefix)) {
                m.forward(List.of(new Chunk(parent, java.util.Arrays.copyOf(tokens, prefix), false)), MlaMode.EXPANDED);
                for (int t = prefix; t < tokens.length; t++) {
                    int[] next = {tokens[t]};
                    float[] step = m.forward(List.of(new Chunk(a, next, false), new Chunk(b, next, false)),
                            MlaMode.ABSORBED).clone();
                    for (int row = 0; row < 2; row++) {
                        double d = GoldenCases.maxAbsDiff(full, t * vocab,
                                java.util.Arrays.copyOfRange(step, row * vocab, (row + 1) * vocab), vocab);
                        assertTrue(d < 1e-3, model + " position " + t + " child " + row + ": differs by " + d);
                    }
                }
            }
        }
    }

    /**
     * Twelve sequences of different prompts decoded together on the vector backend: two blocks of
     * rows, so each block attends with all heads at once. Every row must equal its sequence decoded
     * alone on the scalar reference.
     */
    @ParameterizedTest
    @MethodSource("models")
    void absorbedDecodeOfManyRowsEqualsEachRowAlone(String model) {
        ModelConfig c = ModelConfigParser.parse(GoldenCases.dir(model).resolve("config.json"));
        int vocab = c.vocabSize();
        int rows = 12;
        int prompt = 5;
        int steps = 3;
        int[][] tokens = new int[rows][prompt + steps];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < tokens[r].length; i++) {
                tokens[r][i] = 2 + (r * 31 + i * 17) % (vocab - 2);
            }
        }
        try (Checkpoint ckpt = Checkpoint.open(GoldenCases.dir(model));
             ScalarOps scalar = new ScalarOps(); VectorOps vector = new VectorOps(2)) {
            float[][] alone = new float[rows][];
            DeepSeekModel ref = new DeepSeekModel(c, ckpt, scalar);
            LatentKvCache refCache = new LatentKvCache(c, 1 << 22);
            for (int r = 0; r < rows; r++) {
                try (Sequence s = refCache.tryAllocate(tokens[r].length)) {
                    alone[r] = ref.forward(List.of(new Chunk(s, tokens[r], true)), MlaMode.EXPANDED).clone();
                }
            }
            DeepSeekModel m = new DeepSeekModel(c, ckpt, vector);
            LatentKvCache cache = new LatentKvCache(c, 1 << 22);
            Sequence[] seqs = new Sequence[rows];
            try {
                for (int r = 0; r < rows; r++) {
                    seqs[r] = cache.tryAllocate(tokens[r].length);
                    m.forward(List.of(new Chunk(seqs[r], java.util.Arrays.copyOf(tokens[r], prompt), false)),
                            MlaMode.EXPANDED);
                }
                for (int t = prompt; t < prompt + steps; t++) {
                    java.util.List<Chunk> step = new java.util.ArrayList<>();
                    for (int r = 0; r < rows; r++) {
                        step.add(new Chunk(seqs[r], new int[] {tokens[r][t]}, false));
                    }
                    float[] logits = m.forward(step, MlaMode.ABSORBED).clone();
                    for (int r = 0; r < rows; r++) {
                        double d = GoldenCases.maxAbsDiff(alone[r], t * vocab,
                                java.util.Arrays.copyOfRange(logits, r * vocab, (r + 1) * vocab), vocab);
                        assertTrue(d < 1e-3, model + " position " + t + " row " + r + ": differs by " + d);
                    }
                }
            } finally {
                for (Sequence s : seqs) {
                    if (s != null) {
                        s.close();
                    }
                }
            }
        }
    }
}
