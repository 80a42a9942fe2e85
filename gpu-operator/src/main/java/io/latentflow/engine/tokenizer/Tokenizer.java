package io.latentflow.engine.tokenizer;

import java.nio.file.Path;
import java.util.Optional;

/** Placeholder: the DJL-backed tokenizer lands with the tokenizer work. */
public final class Tokenizer implements AutoCloseable {

    /** The tokenizer of a model directory (tokenizer.json, tokenizer_config.json), or empty when it has none. */
    public static Optional<Tokenizer> load(Path modelDir) {
        return Optional.empty();
    }

    /** Prompt ids: BOS first when tokenizer_config.json says add_bos_token (default true for DeepSeek). */
    public int[] encode(String text) {
        throw new UnsupportedOperationException();
    }

    /** Ids of a continuation (labels, stop strings): no special tokens added. */
    public int[] encodeContinuation(String text) {
        throw new UnsupportedOperationException();
    }

    /** Text of ids, special tokens skipped. */
    public String decode(int[] ids) {
        throw new UnsupportedOperationException();
    }

    /** Largest token id the tokenizer can produce, plus one. */
    public int vocabSize() {
        throw new UnsupportedOperationException();
    }

    public int bosId() {
        return -1;
    }

    public int eosId() {
        return -1;
    }

    @Override
    public void close() {
    }
}
