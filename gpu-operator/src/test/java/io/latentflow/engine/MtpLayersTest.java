package io.latentflow.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentflow.engine.checkpoint.Checkpoint;
import io.latentflow.engine.checkpoint.SafeTensorsFile;
import io.latentflow.engine.checkpoint.SafeTensorsWriter;
import io.latentflow.engine.checkpoint.TensorInfo;
import io.latentflow.engine.golden.GoldenCases;
import io.latentflow.engine.golden.GoldenCases.Case;
import io.latentflow.engine.tensor.DType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DeepSeek-V3 checkpoints carry multi-token-prediction layers past num_hidden_layers: they are skipped. */
class MtpLayersTest {

    @Test
    void layersPastNumHiddenLayersAreIgnored(@TempDir Path dir) throws IOException {
        Path golden = GoldenCases.dir("tiny-v3");
        Files.copy(golden.resolve("config.json"), dir.resolve("config.json"));
        try (SafeTensorsFile src = SafeTensorsFile.open(golden.resolve(Checkpoint.SINGLE));
             SafeTensorsWriter out = new SafeTensorsWriter(dir.resolve(Checkpoint.SINGLE))) {
            for (String name : src.names()) {
                TensorInfo info = src.info(name);
                ByteBuffer data = src.data(name);
                out.add(name, info.dtype(), info.shape(), b -> b.put(data.duplicate()));
            }
            // layer 3 of a 3-layer model: the MTP module (eh_proj, enorm, hnorm and a full block)
            out.add("model.layers.3.eh_proj.weight", DType.F32, new long[] {64, 128}, b -> { });
            out.add("model.layers.3.enorm.weight", DType.F32, new long[] {64}, b -> { });
            out.add("model.layers.3.self_attn.q_a_proj.weight", DType.F16, new long[] {7, 9}, b -> { });
        }
        Case c = GoldenCases.cases("tiny-v3").get(1);
        try (Engine engine = Engine.open(TestModels.golden("tiny-v3").withModelDir(dir))) {
            float[][] logits = engine.promptLogits(c.tokens());
            for (int i = 0; i < logits.length; i++) {
                assertTrue(GoldenCases.maxAbsDiff(logits[i], 0, c.logits()[i], logits[i].length) <= 1e-3);
            }
        }
    }
}
