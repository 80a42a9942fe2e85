package io.latentflow.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentflow.engine.golden.GoldenCases;
import io.latentflow.engine.golden.GoldenCases.Case;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** generate: stop conditions, seeded sampling, and batched results equal to single ones. */
class GenerateTest {
    private static final Case CASE = GoldenCases.cases("tiny-v3").get(0);

    private static InferenceResult.Generated run(Engine engine, InferenceRequest r) {
        return (InferenceResult.Generated) engine.submit(r).join();
    }

    @Test
    void stopsAtAStopTokenWithoutEmittingIt() {
        try (Engine engine = Engine.open(TestModels.golden("tiny-v3"))) {
            int stop = CASE.greedy()[3];
            SamplingParams p = new SamplingParams(0, 0, 1, 0, 8, new int[] {stop}, null);
            InferenceResult.Generated g = run(engine,
                    new InferenceRequest.Generate("s", Prompt.ofTokens(CASE.tokens()), p));
            int firstStop = 0;
            while (CASE.greedy()[firstStop] != stop) {
                firstStop++;
            }
            assertArrayEquals(Arrays.copyOf(CASE.greedy(), firstStop), g.tokens());
            assertEquals("stop_token", g.finishReason());
            assertEquals(CASE.tokens().length, g.stats().promptTokens());
            assertEquals(firstStop, g.stats().generatedTokens());
            assertTrue(g.stats().computeNanos() > 0);
        }
    }

    @Test
    void stopsWhenTheContextIsFull() {
        try (Engine engine = Engine.open(TestModels.golden("tiny-v3"))) {
            int max = engine.modelConfig().maxPositionEmbeddings();
            int[] prompt = new int[max - 2];
            Arrays.fill(prompt, 9);
            InferenceResult.Generated g = run(engine,
                    new InferenceRequest.Generate("full", Prompt.ofTokens(prompt), SamplingParams.greedy(10)));
            assertEquals(3, g.tokens().length, "positions max-2 .. max-1 can be fed, plus the last sampled token");
            assertEquals("length", g.finishReason());
        }
    }

    @Test
    void stopStringCutsTheText(@TempDir Path dir) {
        try (Engine engine = Engine.open(TestModels.tinyWithTokenizer(dir))) {
            Prompt prompt = Prompt.ofText("Player asks the blacksmith about");
            InferenceResult.Generated free = run(engine,
                    new InferenceRequest.Generate("free", prompt, SamplingParams.greedy(24)));
            assertTrue(free.text().length() > 6, "random model produced text: " + free.text());
            String stop = free.text().substring(3, 6);
            int at = free.text().indexOf(stop);
            SamplingParams p = new SamplingParams(0, 0, 1, 0, 24, null, List.of(stop));
            InferenceResult.Generated cut = run(engine, new InferenceRequest.Generate("cut", prompt, p));
            assertEquals("stop_string", cut.finishReason());
            assertEquals(free.text().substring(0, at), cut.text());
            assertTrue(cut.tokens().length < free.tokens().length);
        }
    }

    @Test
    void seededSamplingIsReproducibleAndBatchedEqualsSingle(@TempDir Path dir) {
        try (Engine engine = Engine.open(TestModels.tinyWithTokenizer(dir))) {
            List<InferenceRequest> requests = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                SamplingParams p = new SamplingParams(0.9, i % 2 == 0 ? 0 : 20, i % 3 == 0 ? 1 : 0.8, 100 + i, 12,
                        null, null);
                requests.add(new InferenceRequest.Generate("r" + i, Prompt.ofText("Ticket " + i + ": refund for"), p));
            }
            List<int[]> single = new ArrayList<>();
            for (InferenceRequest r : requests) {
                single.add(run(engine, r).tokens());
            }
            List<CompletableFuture<InferenceResult>> batch = engine.submitAll(requests);
            for (int i = 0; i < requests.size(); i++) {
                assertArrayEquals(single.get(i), ((InferenceResult.Generated) batch.get(i).join()).tokens(),
                        "request " + i + " alone and in a batch");
            }
            assertFalse(Arrays.equals(single.get(0), single.get(2)), "different seeds and prompts differ");
            SamplingParams otherSeed = new SamplingParams(0.9, 0, 1, 999, 12, null, null);
            InferenceResult.Generated reseeded = run(engine,
                    new InferenceRequest.Generate("x", requests.get(0).prompt(), otherSeed));
            assertNotEquals(Arrays.toString(single.get(0)), Arrays.toString(reseeded.tokens()));
        }
    }
}
