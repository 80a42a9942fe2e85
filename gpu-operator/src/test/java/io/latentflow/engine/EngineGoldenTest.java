package io.latentflow.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentflow.engine.golden.GoldenCases;
import io.latentflow.engine.golden.GoldenCases.Case;
import io.latentflow.engine.ops.Backend;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every golden case through the engine's scheduler: alone, and all cases of a model as one batch. */
class EngineGoldenTest {
    private static final double TOLERANCE = 1e-3;

    static List<Object[]> modelsAndBackends() {
        List<Object[]> out = new ArrayList<>();
        for (String m : GoldenCases.models()) {
            // the exact backends; int8 weights have their own error budget (Int8WeightsGoldenTest)
            for (Backend b : new Backend[] {Backend.SCALAR, Backend.VECTOR}) {
                out.add(new Object[] {m, b});
            }
        }
        return out;
    }

    private static Engine open(String model, Backend backend) {
        return Engine.open(EngineConfig.defaults(GoldenCases.dir(model)).withBackend(backend).withThreads(2)
                .withCacheBudgetBytes(1L << 24));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("modelsAndBackends")
    void eachCaseAlone(String model, Backend backend) {
        try (Engine engine = open(model, backend)) {
            for (Case c : GoldenCases.cases(model)) {
                assertLogits(model, c, engine.promptLogits(c.tokens()));
                InferenceResult.Generated g = (InferenceResult.Generated) engine.submit(greedy("alone", c)).join();
                assertArrayEquals(c.greedy(), g.tokens(), model + " greedy continuation");
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("modelsAndBackends")
    void allCasesAsOneBatchOfDifferentLengths(String model, Backend backend) {
        List<Case> cases = GoldenCases.cases(model);
        try (Engine engine = open(model, backend)) {
            List<InferenceRequest> batch = new ArrayList<>();
            for (int i = 0; i < cases.size(); i++) {
                batch.add(greedy("case-" + i, cases.get(i)));
            }
            List<CompletableFuture<InferenceResult>> futures = engine.submitAll(batch);
            for (int i = 0; i < cases.size(); i++) {
                InferenceResult.Generated g = (InferenceResult.Generated) futures.get(i).join();
                assertArrayEquals(cases.get(i).greedy(), g.tokens(), model + " case " + i + " in a batch");
                assertTrue(g.stats().batchId() == futures.get(0).join().stats().batchId(),
                        "all cases were admitted in the same step");
            }
            // prefill logits of all cases in one step
            List<float[][]> logits = engine.promptLogits(cases.stream().map(Case::tokens).toList());
            for (int i = 0; i < cases.size(); i++) {
                assertLogits(model, cases.get(i), logits.get(i));
            }
        }
    }

    private static InferenceRequest greedy(String id, Case c) {
        return new InferenceRequest.Generate(id, Prompt.ofTokens(c.tokens()),
                SamplingParams.greedy(c.greedy().length));
    }

    private static void assertLogits(String model, Case c, float[][] actual) {
        for (int i = 0; i < c.tokens().length; i++) {
            double d = GoldenCases.maxAbsDiff(actual[i], 0, c.logits()[i], c.logits()[i].length);
            assertTrue(d <= TOLERANCE, model + " position " + i + ": max |logit - golden| = " + d);
        }
    }
}
