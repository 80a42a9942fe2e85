package io.latentflow.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns exceptions into the one-line messages the command prints. */
final class Errors {
    private Errors() {
    }

    /** The exception that says what went wrong, without future and reflection wrappers. */
    static Throwable unwrap(Throwable t) {
        while ((t instanceof ExecutionException || t instanceof CompletionException
                || t instanceof InvocationTargetException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static String describe(Throwable t) {
        String msg = Main.oneLine(t.getMessage());
        boolean plain = t instanceof IllegalArgumentException || t instanceof IllegalStateException
                || t instanceof IOException || t instanceof UncheckedIOException;
        if (msg.isEmpty()) {
            return t.getClass().getSimpleName();
        }
        if (t instanceof java.nio.file.NoSuchFileException) {
            return "no such file: " + msg;
        }
        return plain ? msg : t.getClass().getSimpleName() + ": " + msg;
    }
}
