package io.latentflow.engine.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentflow.engine.EngineConfig.MlaMode;
import io.latentflow.engine.checkpoint.Checkpoint;
import io.latentflow.engine.checkpoint.ModelConfig;
import io.latentflow.engine.checkpoint.ModelConfigParser;
import io.latentflow.engine.golden.GoldenCases;
import io.latentflow.engine.golden.GoldenCases.Case;
import io.latentflow.engine.ops.Backend;
import io.latentflow.engine.ops.Ops;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The int8 backend's error on the golden cases: every prepared matrix but the router quantised to
 * int8 with one scale per row, compared with the float64 reference logits. Prints the figures README
 * reports and holds them to a budget. Most positions stay within a few percent; a position where the
 * small error tips a near-tie in the routers' top-k runs other experts and differs by much more
 * (tiny-v3: worst 2.76 against a median of 0.04), so the budget is on the median position and on
 * the top-1 token.
 */
class Int8WeightsGoldenTest {

    static List<String> models() {
        return GoldenCases.models();
    }

    @ParameterizedTest
    @MethodSource("models")
    void int8LogitsStayWithinTheErrorBudget(String model) {
        ModelConfig c = ModelConfigParser.parse(GoldenCases.dir(model).resolve("config.json"));
        int vocab = c.vocabSize();
        List<Double> positionErr = new java.util.ArrayList<>();
        double maxErr = 0;
        double maxLogit = 0;
        double sumSq = 0;
        int positions = 0;
        int sameTop1 = 0;
        try (Checkpoint ckpt = Checkpoint.open(GoldenCases.dir(model)); Ops ops = Backend.VECTOR_INT8.create(2)) {
            DeepSeekModel m = new DeepSeekModel(c, ckpt, ops);
            LatentKvCache cache = new LatentKvCache(c, 1L << 26);
            for (Case gc : GoldenCases.cases(model)) {
                try (Sequence seq = cache.tryAllocate(gc.tokens().length)) {
                    float[] logits = m.forward(List.of(new Chunk(seq, gc.tokens(), true)), MlaMode.AUTO);
                    for (int i = 0; i < gc.tokens().length; i++) {
                        float[] want = gc.logits()[i];
                        double err = 0;
                        for (int v = 0; v < vocab; v++) {
                            double d = logits[i * vocab + v] - want[v];
                            err = Math.max(err, Math.abs(d));
                            maxLogit = Math.max(maxLogit, Math.abs(want[v]));
                            sumSq += d * d;
                        }
                        positionErr.add(err);
                        maxErr = Math.max(maxErr, err);
                        positions++;
                        if (DeepSeekModelGoldenTest.argmax(logits, i * vocab, vocab)
                                == DeepSeekModelGoldenTest.argmax(want, 0, vocab)) {
                            sameTop1++;
                        }
                    }
                }
            }
        }
        double rms = Math.sqrt(sumSq / ((double) positions * vocab));
        java.util.Collections.sort(positionErr);
        double median = positionErr.get(positions / 2);
        System.out.printf("int8 weights, %s: per position max |logit - golden| median %.4f (%.2f%% of max |logit| "
                + "%.3f), worst %.4f; rms %.4f; same top-1 at %d of %d positions%n", model, median,
                100 * median / maxLogit, maxLogit, maxErr, rms, sameTop1, positions);
        assertTrue(median <= 0.03 * maxLogit, model + ": median position error " + median + " of max |logit| " + maxLogit);
        assertTrue(sameTop1 >= 0.9 * positions, model + ": same top-1 at only " + sameTop1 + " of " + positions);
    }
}
