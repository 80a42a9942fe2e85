package io.latentflow.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Checks of token id flags against the loaded model. */
final class Sequences {
    private Sequences() {
    }

    static void requireInVocab(CommandSpec spec, int[] tokens, int vocabSize) {
        for (int id : tokens) {
            if (id >= vocabSize) {
                throw new ParameterException(spec.commandLine(),
                        "token id " + id + " is outside the model's vocabulary (vocab_size " + vocabSize + ")");
            }
        }
    }
}
