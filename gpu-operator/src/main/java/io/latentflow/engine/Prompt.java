package io.latentflow.engine;

import java.util.Arrays;

/**
 * What a request starts from: token ids, or text that the model's tokenizer encodes (with BOS as
 * its tokenizer_config says). Exactly one is set.
 */
public record Prompt(int[] tokens, String text) {

    public Prompt {
        if ((tokens == null) == (text == null)) {
            throw new IllegalArgumentException("a prompt has either token ids or text, not both or neither");
        }
    }

    public static Prompt ofTokens(int... tokens) {
        return new Prompt(tokens.clone(), null);
    }

    public static Prompt ofText(String text) {
        return new Prompt(null, text);
    }

    @Override
    public String toString() {
        return tokens != null ? Arrays.toString(tokens) : '"' + text + '"';
    }
}
