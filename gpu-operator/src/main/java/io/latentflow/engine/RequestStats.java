package io.latentflow.engine;

/**
 * Per-request accounting.
 *
 * @param promptTokens    tokens of the prompt (for classify, without label tokens)
 * @param generatedTokens tokens generated (for classify, label tokens scored)
 * @param queueNanos      from submit until admitted into the running batch
 * @param computeNanos    from admission until completion
 * @param firstOutputNanos from admission until the end of the step that gave its first logits (for
 *                        generate: the first token)
 * @param batchId         the scheduler step in which the request was admitted
 */
public record RequestStats(int promptTokens, int generatedTokens, long queueNanos, long computeNanos,
                           long firstOutputNanos, long batchId) {
}
