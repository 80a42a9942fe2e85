package io.latentflow.engine;

import io.latentflow.engine.checkpoint.ModelConfig;
import io.latentflow.engine.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Validates requests and turns them into scheduler works, tokenizing text with the model's tokenizer. */
final class RequestFactory {
    private final ModelConfig model;
    private final Tokenizer tokenizer; // null without tokenizer.json

    RequestFactory(ModelConfig model, Tokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
    }

    Work work(InferenceRequest r) {
        int[] prompt = promptIds(r.id(), r.prompt(), true);
        if (r instanceof InferenceRequest.Generate g) {
            if (!g.sampling().stopStrings().isEmpty() && tokenizer == null) {
                throw new IllegalArgumentException("request " + r.id() + " has stop strings but the model has no"
                        + " tokenizer.json to decode text");
            }
            int eos = model.eosTokenId() >= 0 ? model.eosTokenId() : tokenizer != null ? tokenizer.eosId() : -1;
            return new GenerateWork(r.id(), prompt, g.sampling(), eos, tokenizer, model.maxPositionEmbeddings());
        }
        InferenceRequest.Classify c = (InferenceRequest.Classify) r;
        List<String> names = new ArrayList<>();
        int[][] labels = new int[c.labels().size()][];
        for (int i = 0; i < labels.length; i++) {
            Prompt label = c.labels().get(i);
            labels[i] = promptIds(r.id() + " label " + i, label, false);
            names.add(label.text() != null ? label.text()
                    : Arrays.stream(label.tokens()).mapToObj(Integer::toString).collect(Collectors.joining(",")));
            int positions = prompt.length + labels[i].length - 1;
            if (positions > model.maxPositionEmbeddings()) {
                throw new IllegalArgumentException("request " + r.id() + ": prompt of " + prompt.length
                        + " tokens plus label '" + names.get(i) + "' exceeds max_position_embeddings "
                        + model.maxPositionEmbeddings());
            }
        }
        return new ClassifyWork(r.id(), prompt, names, labels);
    }

    /** Prompt ids (text encoded with BOS, or labels without), checked against vocab and context. */
    private int[] promptIds(String what, Prompt p, boolean isPrompt) {
        int[] ids;
        if (p.tokens() != null) {
            ids = p.tokens();
        } else if (tokenizer == null) {
            throw new IllegalArgumentException("request " + what + " has text but the model has no tokenizer.json;"
                    + " pass token ids");
        } else {
            checkLength(what, p.text());
            ids = isPrompt ? tokenizer.encode(p.text()) : tokenizer.encodeContinuation(p.text());
        }
        return checkedTokens(what, ids);
    }

    /**
     * Refuses, without tokenizing it, a text that cannot fit in the context however it is tokenized: tokenizing a
     * 1 MB prompt takes seconds on the caller's thread (the pipeline's task thread) only to be refused after. The
     * factor 2 leaves room for normalizers that shorten text.
     */
    private void checkLength(String what, String text) {
        long limit = 2L * model.maxPositionEmbeddings() * tokenizer.maxTokenChars();
        if (text.length() > limit) {
            throw new IllegalArgumentException("request " + what + " has " + text.length() + " characters, more than "
                    + "max_position_embeddings " + model.maxPositionEmbeddings() + " tokens can hold (no token of "
                    + "tokenizer.json is longer than " + tokenizer.maxTokenChars() + " characters)");
        }
    }

    int[] checkedTokens(String what, int[] ids) {
        if (ids.length == 0) {
            throw new IllegalArgumentException("request " + what + " is empty: no tokens");
        }
        if (ids.length > model.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("request " + what + " has " + ids.length
                    + " tokens, more than max_position_embeddings " + model.maxPositionEmbeddings());
        }
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= model.vocabSize()) {
                throw new IllegalArgumentException("request " + what + ": token id " + ids[i] + " at position " + i
                        + " is outside the vocabulary [0, " + model.vocabSize() + ")");
            }
        }
        return ids.clone();
    }
}
