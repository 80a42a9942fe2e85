package io.latentflow.engine;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Bad requests fail their own future with a message naming the request and the problem. */
class RequestValidationTest {

    private static String failure(Engine engine, InferenceRequest r) {
        CompletionException e = assertThrows(CompletionException.class, () -> engine.submit(r).join());
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
        return e.getCause().getMessage();
    }

    @Test
    void badRequestsAreClearErrors() {
        try (Engine engine = Engine.open(TestModels.golden("tiny-v3"))) {
            String m = failure(engine, new InferenceRequest.Generate("oov", Prompt.ofTokens(5, 256, 7),
                    SamplingParams.greedy(2)));
            assertTrue(m.contains("oov") && m.contains("token id 256 at position 1")
                    && m.contains("outside the vocabulary [0, 256)"), m);

            m = failure(engine, new InferenceRequest.Generate("neg", Prompt.ofTokens(-1), SamplingParams.greedy(2)));
            assertTrue(m.contains("token id -1"), m);

            m = failure(engine, new InferenceRequest.Generate("long", Prompt.ofTokens(new int[513]),
                    SamplingParams.greedy(2)));
            assertTrue(m.contains("513 tokens, more than max_position_embeddings 512"), m);

            m = failure(engine, new InferenceRequest.Generate("empty", Prompt.ofTokens(), SamplingParams.greedy(2)));
            assertTrue(m.contains("empty"), m);

            m = failure(engine, new InferenceRequest.Generate("text", Prompt.ofText("hello"),
                    SamplingParams.greedy(2)));
            assertTrue(m.contains("no tokenizer.json"), m);

            m = failure(engine, new InferenceRequest.Classify("label", Prompt.ofTokens(new int[510]),
                    List.of(Prompt.ofTokens(1, 2, 3, 4))));
            assertTrue(m.contains("exceeds max_position_embeddings"), m);

            assertThrows(IllegalArgumentException.class,
                    () -> new InferenceRequest.Classify("none", Prompt.ofTokens(1), List.of()));
            assertThrows(IllegalArgumentException.class, () -> new SamplingParams(0.5, 0, 1.5, 0, 4, null, null));
            assertThrows(IllegalArgumentException.class, () -> engine.promptLogits(new int[] {1, 999}));

            // the engine keeps serving after bad requests
            InferenceResult ok = engine.submit(new InferenceRequest.Generate("ok", Prompt.ofTokens(1, 2),
                    SamplingParams.greedy(2))).join();
            assertTrue(ok instanceof InferenceResult.Generated);
        }
    }
}
