package io.latentflow.engine;

import java.util.List;

/**
 * How {@code generate} picks each next token.
 *
 * @param temperature  0 means greedy (argmax); otherwise logits are divided by it before softmax
 * @param topK         keep the k most likely tokens (0 = all)
 * @param topP         keep the smallest set whose probability reaches p (1 = all)
 * @param seed         seed of this request's random stream, so a request is reproducible
 * @param maxNewTokens stop after this many generated tokens
 * @param stopTokenIds stop when one of these is generated (it is not part of the output); the model's
 *                     EOS is always a stop token
 * @param stopStrings  stop when the decoded text contains one of these (the text is cut before it)
 */
public record SamplingParams(double temperature, int topK, double topP, long seed, int maxNewTokens,
                             int[] stopTokenIds, List<String> stopStrings) {

    public SamplingParams {
        if (temperature < 0 || Double.isNaN(temperature)) {
            throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top_k must be >= 0, got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top_p must be in (0, 1], got " + topP);
        }
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("max_new_tokens must be >= 1, got " + maxNewTokens);
        }
        stopTokenIds = stopTokenIds == null ? new int[0] : stopTokenIds.clone();
        stopStrings = stopStrings == null ? List.of() : List.copyOf(stopStrings);
    }

    public static SamplingParams greedy(int maxNewTokens) {
        return new SamplingParams(0, 0, 1, 0, maxNewTokens, null, null);
    }

    public boolean isGreedy() {
        return temperature == 0;
    }
}
