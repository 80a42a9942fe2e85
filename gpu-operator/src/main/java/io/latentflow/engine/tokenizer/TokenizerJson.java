package io.latentflow.engine.tokenizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The parts of tokenizer.json the engine needs beyond what DJL exposes: token text to id (model
 * vocabulary plus added tokens), to resolve BOS/EOS names, and the largest id, to size the vocabulary.
 */
final class TokenizerJson {
    static final String FILE = "tokenizer.json";

    private final Map<String, Integer> ids;
    private final int maxId;
    private final int maxTokenChars;

    private TokenizerJson(Map<String, Integer> ids, int maxId) {
        this.ids = ids;
        this.maxId = maxId;
        this.maxTokenChars = Math.max(1, ids.keySet().stream().mapToInt(String::length).max().orElse(1));
    }

    /** Parses the text of a tokenizer.json; fileName is only for error messages. */
    static TokenizerJson parse(String text, String fileName, ObjectMapper json) {
        JsonNode root;
        try {
            root = json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("corrupt " + fileName + ": " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject() || !root.path("model").isObject()) {
            throw new IllegalArgumentException("corrupt " + fileName + ": expected an object with a \"model\"");
        }
        Map<String, Integer> ids = new HashMap<>();
        JsonNode vocab = root.get("model").path("vocab");
        if (vocab.isObject()) {  // BPE, WordPiece, WordLevel: {"token": id}
            Iterator<Map.Entry<String, JsonNode>> it = vocab.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                ids.put(e.getKey(), id(e.getValue(), fileName));
            }
        } else if (vocab.isArray()) {  // Unigram: [["token", score], ...], id = position
            for (int i = 0; i < vocab.size(); i++) {
                ids.put(vocab.get(i).path(0).asText(), i);
            }
        } else {
            throw new IllegalArgumentException("corrupt " + fileName + ": model has no vocab");
        }
        for (JsonNode t : root.path("added_tokens")) {
            ids.put(t.path("content").asText(), id(t.path("id"), fileName));
        }
        int maxId = ids.values().stream().mapToInt(Integer::intValue).max().orElse(-1);
        return new TokenizerJson(ids, maxId);
    }

    private static int id(JsonNode v, String fileName) {
        if (!v.canConvertToInt() || v.intValue() < 0) {
            throw new IllegalArgumentException("corrupt " + fileName + ": bad token id " + v);
        }
        return v.intValue();
    }

    /** The id of a token text, or -1 when null or unknown. */
    int idOf(String token) {
        return token == null ? -1 : ids.getOrDefault(token, -1);
    }

    /** Characters of the longest token text (vocabulary and added tokens), at least 1. */
    int maxTokenChars() {
        return maxTokenChars;
    }

    /** Largest id plus one. */
    int vocabSize() {
        return maxId + 1;
    }
}
