package io.latentflow.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentflow.engine.EngineConfig.MlaMode;
import io.latentflow.engine.checkpoint.Checkpoint;
import io.latentflow.engine.checkpoint.ModelConfig;
import io.latentflow.engine.checkpoint.ModelConfigParser;
import io.latentflow.engine.golden.GoldenCases;
import io.latentflow.engine.golden.GoldenCases.Case;
import io.latentflow.engine.ops.Backend;
import io.latentflow.engine.ops.Ops;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The forward pass alone (no scheduler) against the golden logits, in every MLA mode and backend. */
class DeepSeekModelGoldenTest {
    private static final double TOLERANCE = 1e-3;

    static List<Object[]> modelsModesBackends() {
        List<Object[]> out = new ArrayList<>();
        for (String m : GoldenCases.models()) {
            for (MlaMode mode : MlaMode.values()) {
                // the exact backends; int8 weights have their own error budget (Int8WeightsGoldenTest)
                for (Backend b : new Backend[] {Backend.SCALAR, Backend.VECTOR}) {
                    out.add(new Object[] {m, mode, b});
                }
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("modelsModesBackends")
    void prefillLogitsAndGreedyDecodeMatchGolden(String model, MlaMode mode, Backend backend) {
        check(model, mode, backend, true);
    }

    /** The q and kv_a projections as two matmuls (F8 checkpoints: their block scales do not stack). */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("modelsModes")
    void unstackedInputProjectionsMatchGoldenToo(String model, MlaMode mode) {
        check(model, mode, Backend.VECTOR, false);
    }

    static List<Object[]> modelsModes() {
        List<Object[]> out = new ArrayList<>();
        for (String m : GoldenCases.models()) {
            for (MlaMode mode : MlaMode.values()) {
                out.add(new Object[] {m, mode});
            }
        }
        return out;
    }

    private static void check(String model, MlaMode mode, Backend backend, boolean stackInputs) {
        ModelConfig c = ModelConfigParser.parse(GoldenCases.dir(model).resolve("config.json"));
        try (Checkpoint ckpt = Checkpoint.open(GoldenCases.dir(model)); Ops ops = backend.create(2)) {
            DeepSeekModel m = new DeepSeekModel(c, ckpt, ops, stackInputs);
            LatentKvCache cache = new LatentKvCache(c, 1L << 26);
            for (Case gc : GoldenCases.cases(model)) {
                try (Sequence seq = cache.tryAllocate(gc.tokens().length + gc.greedy().length)) {
                    float[] logits = m.forward(List.of(new Chunk(seq, gc.tokens(), true)), mode);
                    for (int i = 0; i < gc.tokens().length; i++) {
                        double d = GoldenCases.maxAbsDiff(logits, i * c.vocabSize(), gc.logits()[i], c.vocabSize());
                        assertTrue(d <= TOLERANCE, model + " position " + i + ": max |logit - golden| = " + d);
                    }
                    int[] greedy = new int[gc.greedy().length];
                    int next = argmax(logits, (gc.tokens().length - 1) * c.vocabSize(), c.vocabSize());
                    for (int s = 0; s < greedy.length; s++) {
                        greedy[s] = next;
                        if (s + 1 < greedy.length) {
                            float[] l = m.forward(List.of(new Chunk(seq, new int[] {next}, false)), mode);
                            next = argmax(l, 0, c.vocabSize());
                        }
                    }
                    assertArrayEquals(gc.greedy(), greedy, model + " greedy continuation");
                }
            }
        }
    }

    static int argmax(float[] a, int off, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (a[off + i] > a[off + best]) {
                best = i;
            }
        }
        return best;
    }
}
