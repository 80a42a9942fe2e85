package io.latentflow.engine;

import java.util.List;

/** What the engine returns for a request. */
public sealed interface InferenceResult permits InferenceResult.Generated, InferenceResult.Classified {

    String id();

    RequestStats stats();

    /**
     * @param tokens       generated ids, without the stop token
     * @param text         decoded text (null without a tokenizer), cut before a stop string
     * @param finishReason "length", "stop_token" or "stop_string"
     */
    record Generated(String id, int[] tokens, String text, String finishReason, RequestStats stats)
            implements InferenceResult {
    }

    /**
     * @param labels         label names in request order (text, or ids joined by commas)
     * @param logLikelihoods Σ log P(label token | prompt, earlier label tokens), per label
     * @param probabilities  softmax of logLikelihoods
     * @param label          the most likely label
     */
    record Classified(String id, List<String> labels, double[] logLikelihoods, double[] probabilities, String label,
                      RequestStats stats) implements InferenceResult {
    }
}
