package io.latentflow.engine.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * What tokenizer_config.json says about special tokens: whether prompts get BOS / EOS and which texts
 * those are. We apply them ourselves instead of letting the Hugging Face post-processor do it, so every
 * checkpoint behaves the same way. Missing file or keys fall back to DeepSeek's defaults.
 *
 * @param bosToken the BOS text, or null when the config names none
 * @param eosToken the EOS text, or null when the config names none
 */
record SpecialTokenSettings(boolean addBos, boolean addEos, String bosToken, String eosToken) {
    static final String FILE = "tokenizer_config.json";

    static SpecialTokenSettings deepSeekDefaults() {
        return new SpecialTokenSettings(true, false, TokenizerFiles.BOS_TOKEN, TokenizerFiles.EOS_TOKEN);
    }

    /** Reads modelDir/tokenizer_config.json, or DeepSeek's defaults when there is none. */
    static SpecialTokenSettings read(Path modelDir, ObjectMapper json) {
        Path file = modelDir.resolve(FILE);
        JsonNode root;
        try {
            root = json.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return deepSeekDefaults();
        } catch (IOException e) {
            if (e instanceof com.fasterxml.jackson.core.JsonProcessingException) {
                throw new IllegalArgumentException("corrupt " + file + ": " + ((com.fasterxml.jackson.core.JsonProcessingException) e).getOriginalMessage(), e);
            }
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("corrupt " + file + ": expected a JSON object");
        }
        SpecialTokenSettings d = deepSeekDefaults();
        return new SpecialTokenSettings(
                flag(root, "add_bos_token", d.addBos(), file),
                flag(root, "add_eos_token", d.addEos(), file),
                token(root, "bos_token", d.bosToken(), file),
                token(root, "eos_token", d.eosToken(), file));
    }

    private static boolean flag(JsonNode root, String key, boolean fallback, Path file) {
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw new IllegalArgumentException("corrupt " + file + ": " + key + " must be true or false, got " + v);
        }
        return v.booleanValue();
    }

    /** A token given as "text" or {"content": "text"}; null when set to null. */
    private static String token(JsonNode root, String key, String fallback, Path file) {
        if (!root.has(key)) {
            return fallback;
        }
        JsonNode v = root.get(key);
        if (v.isNull()) {
            return null;
        }
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isObject() && v.path("content").isTextual()) {
            return v.get("content").textValue();
        }
        throw new IllegalArgumentException("corrupt " + file + ": " + key
                + " must be a string or an object with a string \"content\", got " + v);
    }
}
