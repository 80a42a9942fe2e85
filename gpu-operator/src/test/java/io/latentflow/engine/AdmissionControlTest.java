package io.latentflow.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The latent cache budget holds: requests beyond it wait for room and all complete; none is dropped. */
class AdmissionControlTest {

    @Test
    void requestsBeyondTheBudgetWaitAndAllComplete() throws Exception {
        int promptLength = 10;
        int maxNew = 20;
        long bytesPerToken = 3 * (32 + 8) * 4; // tiny-v3: 3 layers · (kv_lora 32 + rope 8) floats
        long oneRequest = (promptLength + maxNew - 1) * bytesPerToken;
        long budget = 2 * oneRequest; // room for two at a time
        try (Engine engine = Engine.open(TestModels.golden("tiny-v3").withCacheBudgetBytes(budget))) {
            AtomicLong peak = new AtomicLong();
            AtomicBoolean done = new AtomicBoolean();
            Thread watcher = new Thread(() -> {
                while (!done.get()) {
                    peak.accumulateAndGet(engine.cacheBytesInUse(), Math::max);
                    Thread.onSpinWait();
                }
            });
            watcher.start();
            List<InferenceRequest> requests = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                int[] prompt = new int[promptLength];
                java.util.Arrays.fill(prompt, 20 + i);
                requests.add(new InferenceRequest.Generate("r" + i, Prompt.ofTokens(prompt),
                        SamplingParams.greedy(maxNew)));
            }
            List<CompletableFuture<InferenceResult>> futures = engine.submitAll(requests);
            long lastBatch = -1;
            for (CompletableFuture<InferenceResult> f : futures) {
                InferenceResult r = f.join();
                assertTrue(r.stats().batchId() >= lastBatch, "admitted in submission order");
                lastBatch = r.stats().batchId();
            }
            done.set(true);
            watcher.join();
            assertTrue(peak.get() <= budget, "cache use " + peak.get() + " stayed within the budget " + budget);
            assertTrue(peak.get() > 0);
            assertTrue(lastBatch > 0, "later requests were admitted in later steps");
            assertTrue(futures.get(5).join().stats().queueNanos() > futures.get(0).join().stats().queueNanos());
            assertEquals(0, engine.cacheBytesInUse(), "every reservation returned");
        }
    }

    @Test
    void aRequestLargerThanTheWholeBudgetFailsClearly() {
        try (Engine engine = Engine.open(TestModels.golden("tiny-v3").withCacheBudgetBytes(4 * 480))) {
            CompletionException e = assertThrows(CompletionException.class, () -> engine.submit(
                    new InferenceRequest.Generate("big", Prompt.ofTokens(1, 2, 3, 4, 5), SamplingParams.greedy(4)))
                    .join());
            assertInstanceOf(IllegalArgumentException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("request big needs 8 cache positions"),
                    e.getCause().getMessage());
            // a request that fits still runs afterwards
            InferenceResult ok = engine.submit(new InferenceRequest.Generate("small", Prompt.ofTokens(1, 2),
                    SamplingParams.greedy(2))).join();
            assertEquals(2, ((InferenceResult.Generated) ok).tokens().length);
        }
    }
}
