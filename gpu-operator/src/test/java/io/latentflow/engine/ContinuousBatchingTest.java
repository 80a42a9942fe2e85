package io.latentflow.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Requests join a running batch between steps and leave it when they finish. */
class ContinuousBatchingTest {

    @Test
    void aShortRequestJoinsAndLeavesWhileALongOneDecodes() throws Exception {
        try (Engine engine = Engine.open(TestModels.golden("tiny-v3"))) {
            CompletableFuture<InferenceResult> longOne = engine.submit(new InferenceRequest.Generate("long",
                    Prompt.ofTokens(3, 4, 5), new SamplingParams(0, 0, 1, 0, 400, null, null)));
            while (engine.runningRequests() == 0) {
                Thread.sleep(1);
            }
            InferenceResult shortOne = engine.submit(new InferenceRequest.Generate("short",
                    Prompt.ofTokens(7, 8), SamplingParams.greedy(3))).join();
            assertFalse(longOne.isDone(), "the long request is still decoding when the short one is done");
            InferenceResult longResult = longOne.join();
            assertTrue(shortOne.stats().batchId() > longResult.stats().batchId(),
                    "the short request was admitted in a later step than the long one");
            assertEquals(3, ((InferenceResult.Generated) shortOne).tokens().length);
        }
    }
}
