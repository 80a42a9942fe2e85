package io.latentflow.engine;

import java.util.List;

/** One unit of work for the engine: a generation or a classification. */
public sealed interface InferenceRequest permits InferenceRequest.Generate, InferenceRequest.Classify {

    /** Caller's id, echoed in the result. */
    String id();

    Prompt prompt();

    /** Continue the prompt token by token. */
    record Generate(String id, Prompt prompt, SamplingParams sampling) implements InferenceRequest {
    }

    /**
     * Score each candidate label's continuation of the prompt: log P(label | prompt) summed over its
     * tokens; the distribution is the softmax of those sums. The prompt's latent cache is computed
     * once and shared by all labels.
     */
    record Classify(String id, Prompt prompt, List<Prompt> labels) implements InferenceRequest {
        public Classify {
            if (labels == null || labels.isEmpty()) {
                throw new IllegalArgumentException("classify request " + id + " has no labels");
            }
            labels = List.copyOf(labels);
        }
    }
}
