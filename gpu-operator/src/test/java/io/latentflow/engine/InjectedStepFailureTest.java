package io.latentflow.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** {@link Engine#failNextStep}: the next step's requests fail with the injected error, later ones run. */
class InjectedStepFailureTest {

    @Test
    void theNextStepFailsOnceThenTheEngineRunsOn() {
        try (Engine engine = Engine.open(TestModels.golden("tiny-v3"))) {
            IllegalStateException injected = new IllegalStateException("injected");
            engine.failNextStep(injected);
            CompletionException e = assertThrows(CompletionException.class, () -> engine.submit(
                    new InferenceRequest.Generate("a", Prompt.ofTokens(1, 2, 3), SamplingParams.greedy(2))).join());
            assertSame(injected, e.getCause());
            InferenceResult ok = engine.submit(new InferenceRequest.Generate("b", Prompt.ofTokens(1, 2, 3),
                    SamplingParams.greedy(2))).join();
            assertEquals(2, ((InferenceResult.Generated) ok).tokens().length);
            assertEquals(0, engine.cacheBytesInUse(), "the failed request's cache was returned");
        }
    }
}
