package io.latentflow.engine;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A 1 MB prompt is refused at once by its length, not after seconds of tokenizing; a long one that might fit is tokenized. */
class HugePromptTest {

    @Test
    void aMegabytePromptIsRefusedWithoutTokenizing(@TempDir Path dir) {
        try (Engine engine = Engine.open(TestModels.tinyWithTokenizer(dir))) {
            String huge = "lorem ipsum dolor sit amet ".repeat(40_000); // 1 080 000 characters
            long t0 = System.nanoTime();
            CompletionException e = assertThrows(CompletionException.class, () -> engine.submit(
                    new InferenceRequest.Classify("huge", Prompt.ofText(huge), List.of(Prompt.ofText(" a")))).join());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertInstanceOf(IllegalArgumentException.class, e.getCause());
            String m = e.getCause().getMessage();
            assertTrue(m.startsWith("request huge has 1080000 characters, more than max_position_embeddings 1024 "
                    + "tokens can hold (no token of tokenizer.json is longer than "), m);
            assertTrue(ms < 500, "refused in " + ms + " ms");

            // 3000 characters may or may not fit: they are tokenized, and refused by their token count
            e = assertThrows(CompletionException.class, () -> engine.submit(new InferenceRequest.Classify("long",
                    Prompt.ofText("lorem ipsum ".repeat(250)), List.of(Prompt.ofText(" a")))).join());
            assertTrue(e.getCause().getMessage().contains("tokens, more than max_position_embeddings 1024"),
                    e.getCause().getMessage());
        }
    }
}
