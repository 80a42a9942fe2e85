package io.latentflow.engine.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentflow.engine.tensor.DType;
import io.latentflow.engine.tensor.Weight;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every tensor of the golden checkpoints opens with its header shape and decodes to finite values. */
class GoldenCheckpointTest {
    @ParameterizedTest
    @ValueSource(strings = {"tiny-v3", "tiny-v2-lite", "tiny-v2-grouped"})
    void readsEveryTensor(String name) {
        Path dir = ModelConfigParserTest.GOLDEN.resolve(name);
        ModelConfig cfg = ModelConfigParser.parse(dir.resolve("config.json"));
        try (Checkpoint ck = Checkpoint.open(dir)) {
            assertTrue(ck.has("model.embed_tokens.weight"));
            for (String t : ck.names()) {
                TensorInfo info = ck.info(t);
                Weight w = info.shape().length == 2
                        ? ck.matrix(t, (int) info.shape()[0], (int) info.shape()[1])
                        : ck.vector(t, (int) info.shape()[0]);
                for (float v : w.toFloats()) {
                    assertTrue(Float.isFinite(v), t);
                }
            }
            assertEquals(name.equals("tiny-v2-lite") ? DType.BF16 : DType.F32,
                    ck.info("lm_head.weight").dtype());
            Weight emb = ck.matrix("model.embed_tokens.weight", cfg.vocabSize(), cfg.hiddenSize());
            assertEquals(cfg.vocabSize(), emb.rows);
        }
    }
}
