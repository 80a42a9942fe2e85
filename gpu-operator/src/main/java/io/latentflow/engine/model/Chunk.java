package io.latentflow.engine.model;

/**
 * New tokens of one sequence in a forward step, placed at positions {@code seq.length()} onward.
 *
 * @param allLogits logits for every token of the chunk (scoring), else only for its last token
 */
public record Chunk(Sequence seq, int[] tokens, boolean allLogits) {

    public int logitRows() {
        return allLogits ? tokens.length : 1;
    }
}
