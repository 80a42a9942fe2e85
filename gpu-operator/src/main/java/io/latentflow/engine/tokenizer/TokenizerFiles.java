package io.latentflow.engine.tokenizer;

import java.nio.file.Path;

/** Placeholder: writes a byte-level BPE tokenizer.json and tokenizer_config.json for random models. */
public final class TokenizerFiles {
    private TokenizerFiles() {
    }

    /** Writes tokenizer.json and tokenizer_config.json with at most vocabSize ids, BOS and EOS at the given ids. */
    public static void writeByteLevelBpe(Path dir, int vocabSize, int bosId, int eosId) {
        throw new UnsupportedOperationException("lands with the tokenizer work");
    }
}
