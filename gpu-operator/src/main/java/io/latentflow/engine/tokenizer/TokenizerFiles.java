package io.latentflow.engine.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a real Hugging Face byte-level BPE tokenizer (tokenizer.json + tokenizer_config.json) for random
 * test models, so the whole text path (encode, generate, decode) runs without a downloaded checkpoint.
 *
 * <p>Ids: DeepSeek's BOS and EOS at the given ids, the 256 byte symbols at the lowest free ids, then the
 * merges {@link BpeTrainer} learns from a small built-in corpus. Output is byte-for-byte deterministic.
 */
public final class TokenizerFiles {
    /** DeepSeek's special token texts (fullwidth bars, U+2581 instead of spaces). */
    public static final String BOS_TOKEN = "<\uFF5Cbegin\u2581of\u2581sentence\uFF5C>";
    public static final String EOS_TOKEN = "<\uFF5Cend\u2581of\u2581sentence\uFF5C>";
    static final int MODEL_MAX_LENGTH = 16384;
    private static final String CORPUS = "corpus.txt";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TokenizerFiles() {
    }

    /** Writes tokenizer.json and tokenizer_config.json with at most vocabSize ids, BOS and EOS at the given ids. */
    public static void writeByteLevelBpe(Path dir, int vocabSize, int bosId, int eosId) {
        if (vocabSize < 258) {
            throw new IllegalArgumentException("vocabSize must be >= 258 (2 specials + 256 bytes), got " + vocabSize);
        }
        if (bosId < 0 || bosId >= vocabSize || eosId < 0 || eosId >= vocabSize || bosId == eosId) {
            throw new IllegalArgumentException("bosId and eosId must be distinct ids in [0, " + vocabSize
                    + "), got " + bosId + " and " + eosId);
        }
        Map<String, Integer> specials = new LinkedHashMap<>();
        specials.put(BOS_TOKEN, bosId);
        specials.put(EOS_TOKEN, eosId);
        BpeTrainer.Result bpe = BpeTrainer.train(corpus(), vocabSize, specials);
        try {
            Files.createDirectories(dir);
            write(dir.resolve("tokenizer.json"), tokenizerJson(bpe, bosId, eosId));
            write(dir.resolve("tokenizer_config.json"), tokenizerConfig());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write tokenizer files to " + dir, e);
        }
    }

    private static void write(Path file, ObjectNode json) throws IOException {
        Files.writeString(file, JSON.writeValueAsString(json) + "\n", StandardCharsets.UTF_8);
    }

    private static ObjectNode tokenizerJson(BpeTrainer.Result bpe, int bosId, int eosId) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        added.add(addedToken(bosId, BOS_TOKEN));
        added.add(addedToken(eosId, EOS_TOKEN));
        root.putNull("normalizer");
        root.set("pre_tokenizer", byteLevel(false, true));
        root.putNull("post_processor");
        root.set("decoder", byteLevel(true, true));
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        ObjectNode vocab = model.putObject("vocab");
        bpe.vocab().forEach(vocab::put);
        ArrayNode merges = model.putArray("merges");
        for (BpeTrainer.Merge m : bpe.merges()) {
            merges.add(m.left() + " " + m.right());
        }
        return root;
    }

    private static ObjectNode addedToken(int id, String content) {
        ObjectNode t = JSON.createObjectNode();
        t.put("id", id);
        t.put("content", content);
        t.put("single_word", false);
        t.put("lstrip", false);
        t.put("rstrip", false);
        t.put("normalized", false);
        t.put("special", true);
        return t;
    }

    private static ObjectNode byteLevel(boolean addPrefixSpace, boolean trimOffsets) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", "ByteLevel");
        n.put("add_prefix_space", addPrefixSpace);
        n.put("trim_offsets", trimOffsets);
        n.put("use_regex", true);
        return n;
    }

    private static ObjectNode tokenizerConfig() {
        ObjectNode c = JSON.createObjectNode();
        c.put("add_bos_token", true);
        c.put("add_eos_token", false);
        c.set("bos_token", tokenObject(BOS_TOKEN));
        c.set("eos_token", tokenObject(EOS_TOKEN));
        c.set("pad_token", tokenObject(EOS_TOKEN));
        c.put("clean_up_tokenization_spaces", false);
        c.put("legacy", true);
        c.put("model_max_length", MODEL_MAX_LENGTH);
        c.put("tokenizer_class", "LlamaTokenizerFast");
        return c;
    }

    private static ObjectNode tokenObject(String content) {
        ObjectNode t = JSON.createObjectNode();
        t.put("__type", "AddedToken");
        t.put("content", content);
        t.put("lstrip", false);
        t.put("normalized", true);
        t.put("rstrip", false);
        t.put("single_word", false);
        return t;
    }

    private static String corpus() {
        try (InputStream in = TokenizerFiles.class.getResourceAsStream(CORPUS)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + CORPUS + " next to " + TokenizerFiles.class);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + CORPUS, e);
        }
    }
}
