package io.latentflow.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerTest {
    private static final List<String> TEXTS = List.of(
            "Shipment update: order 48213 left the warehouse.",
            "Hello, world! (a) [b] {c} \"quoted\" 'single' a , b . c ?",
            "  two leading spaces, tabs\tand\nnew lines\n\n",
            "Größe – 東京 🚚",
            "The guard said: \"Halt, traveler!\" — 100% sure; ok?",
            "");

    @Test
    void roundTripsTextExactly(@TempDir Path dir) {
        TokenizerFiles.writeByteLevelBpe(dir, 512, 0, 1);
        try (Tokenizer t = Tokenizer.load(dir).orElseThrow()) {
            for (String text : TEXTS) {
                assertEquals(text, t.decode(t.encode(text)), "encode/decode of " + text);
                assertEquals(text, t.decode(t.encodeContinuation(text)), "continuation of " + text);
            }
        }
    }

    @Test
    void longTextIsNotTruncated(@TempDir Path dir) {
        TokenizerFiles.writeByteLevelBpe(dir, 258, 0, 1);
        String text = "Größe – 東京 🚚 ".repeat(2000);  // ~50k byte tokens, beyond model_max_length
        try (Tokenizer t = Tokenizer.load(dir).orElseThrow()) {
            int[] ids = t.encode(text);
            assertEquals(text.getBytes(StandardCharsets.UTF_8).length + 1, ids.length);
            assertEquals(text, t.decode(ids));
        }
    }

    @Test
    void bosFirstContinuationWithout(@TempDir Path dir) {
        TokenizerFiles.writeByteLevelBpe(dir, 512, 0, 1);
        try (Tokenizer t = Tokenizer.load(dir).orElseThrow()) {
            assertEquals(0, t.bosId());
            assertEquals(1, t.eosId());
            int[] prompt = t.encode("Where is my parcel?");
            int[] cont = t.encodeContinuation("Where is my parcel?");
            assertEquals(0, prompt[0]);
            assertArrayEquals(cont, Arrays.copyOfRange(prompt, 1, prompt.length));
            assertTrue(Arrays.stream(cont).noneMatch(id -> id == 0 || id == 1), "no specials in a continuation");
            assertArrayEquals(new int[] {0}, t.encode(""));
        }
    }

    @Test
    void noBosWhenConfigSaysSo(@TempDir Path dir) throws Exception {
        TokenizerFiles.writeByteLevelBpe(dir, 512, 0, 1);
        rewriteConfig(dir, "\"add_bos_token\" : true", "\"add_bos_token\" : false");
        try (Tokenizer t = Tokenizer.load(dir).orElseThrow()) {
            assertArrayEquals(t.encodeContinuation("hello"), t.encode("hello"));
            assertEquals(0, t.bosId());
        }
    }

    @Test
    void eosLastWhenConfigSaysSo(@TempDir Path dir) throws Exception {
        TokenizerFiles.writeByteLevelBpe(dir, 512, 0, 1);
        rewriteConfig(dir, "\"add_eos_token\" : false", "\"add_eos_token\" : true");
        try (Tokenizer t = Tokenizer.load(dir).orElseThrow()) {
            int[] ids = t.encode("hello");
            assertEquals(0, ids[0]);
            assertEquals(1, ids[ids.length - 1]);
        }
    }

    @Test
    void stringFormSpecialTokens(@TempDir Path dir) throws Exception {
        TokenizerFiles.writeByteLevelBpe(dir, 600, 7, 3);
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"add_bos_token\": true, \"bos_token\": \""
                + TokenizerFiles.BOS_TOKEN + "\", \"eos_token\": \"" + TokenizerFiles.EOS_TOKEN + "\"}");
        try (Tokenizer t = Tokenizer.load(dir).orElseThrow()) {
            assertEquals(7, t.bosId());
            assertEquals(3, t.eosId());
            assertEquals(7, t.encode("hi")[0]);
            assertEquals("hi", t.decode(t.encode("hi")));
        }
    }

    @Test
    void specialTokensSkippedInDecode(@TempDir Path dir) {
        TokenizerFiles.writeByteLevelBpe(dir, 512, 0, 1);
        try (Tokenizer t = Tokenizer.load(dir).orElseThrow()) {
            int[] body = t.encodeContinuation("done");
            int[] withEos = Arrays.copyOf(body, body.length + 1);
            withEos[body.length] = t.eosId();
            assertEquals("done", t.decode(withEos));
        }
    }

    @Test
    void idsStayBelowVocabSize(@TempDir Path small, @TempDir Path large) {
        TokenizerFiles.writeByteLevelBpe(small, 512, 0, 1);
        TokenizerFiles.writeByteLevelBpe(large, 32000, 0, 1);
        try (Tokenizer s = Tokenizer.load(small).orElseThrow(); Tokenizer l = Tokenizer.load(large).orElseThrow()) {
            assertEquals(512, s.vocabSize(), "the corpus has enough pairs to fill 512 ids");
            assertTrue(l.vocabSize() > 512 && l.vocabSize() <= 32000, "vocab " + l.vocabSize());
            for (String text : TEXTS) {
                assertTrue(Arrays.stream(s.encode(text)).allMatch(id -> id >= 0 && id < 512), text);
                assertTrue(Arrays.stream(l.encode(text)).allMatch(id -> id >= 0 && id < l.vocabSize()), text);
            }
            String common = "Shipment update: the delivery is expected tomorrow.";
            assertTrue(l.encode(common).length < s.encode(common).length, "more merges, fewer tokens");
        }
    }

    @Test
    void smallestVocabIsBytesAndSpecials(@TempDir Path dir) {
        TokenizerFiles.writeByteLevelBpe(dir, 258, 0, 1);
        try (Tokenizer t = Tokenizer.load(dir).orElseThrow()) {
            assertEquals(258, t.vocabSize());
            String text = "Größe – 東京 🚚";
            assertEquals(text.getBytes(StandardCharsets.UTF_8).length + 1, t.encode(text).length);
            assertEquals(text, t.decode(t.encode(text)));
        }
    }

    @Test
    void filesAreDeterministic(@TempDir Path a, @TempDir Path b) throws Exception {
        TokenizerFiles.writeByteLevelBpe(a, 2000, 0, 1);
        TokenizerFiles.writeByteLevelBpe(b, 2000, 0, 1);
        for (String f : List.of("tokenizer.json", "tokenizer_config.json")) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f);
        }
    }

    @Test
    void trainingIsFast(@TempDir Path dir) {
        TokenizerFiles.writeByteLevelBpe(dir, 1000, 0, 1);  // warm up class loading
        long start = System.nanoTime();
        TokenizerFiles.writeByteLevelBpe(dir, 32000, 0, 1);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms < 2000, "training took " + ms + " ms");
    }

    @Test
    void missingTokenizerJsonIsEmpty(@TempDir Path dir) {
        assertTrue(Tokenizer.load(dir).isEmpty());
    }

    @Test
    void corruptTokenizerJsonNamesTheFile(@TempDir Path dir) throws Exception {
        TokenizerFiles.writeByteLevelBpe(dir, 512, 0, 1);
        Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {\"vocab\": ");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tokenizer.load(dir));
        assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());
    }

    @Test
    void tokenizerJsonDjlRejectsNamesTheFile(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {\"type\": \"Nonsense\", \"vocab\": {}}}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tokenizer.load(dir));
        assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());
    }

    @Test
    void corruptConfigNamesTheFile(@TempDir Path dir) throws Exception {
        TokenizerFiles.writeByteLevelBpe(dir, 512, 0, 1);
        Files.writeString(dir.resolve("tokenizer_config.json"), "{ not json");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tokenizer.load(dir));
        assertTrue(e.getMessage().contains("tokenizer_config.json"), e.getMessage());
    }

    @Test
    void missingConfigUsesDeepSeekDefaults(@TempDir Path dir) throws Exception {
        TokenizerFiles.writeByteLevelBpe(dir, 512, 0, 1);
        Files.delete(dir.resolve("tokenizer_config.json"));
        try (Tokenizer t = Tokenizer.load(dir).orElseThrow()) {
            assertEquals(0, t.bosId());
            assertEquals(1, t.eosId());
            assertEquals(0, t.encode("x")[0]);
        }
    }

    @Test
    void rejectsBadArguments(@TempDir Path dir) {
        assertThrows(IllegalArgumentException.class, () -> TokenizerFiles.writeByteLevelBpe(dir, 257, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> TokenizerFiles.writeByteLevelBpe(dir, 512, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> TokenizerFiles.writeByteLevelBpe(dir, 512, 0, 512));
        assertNotEquals(0, TEXTS.size());
    }

    private static void rewriteConfig(Path dir, String from, String to) throws Exception {
        Path file = dir.resolve("tokenizer_config.json");
        String text = Files.readString(file);
        assertTrue(text.contains(from), text);
        Files.writeString(file, text.replace(from, to));
    }
}
