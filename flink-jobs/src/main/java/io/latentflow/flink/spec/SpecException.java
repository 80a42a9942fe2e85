package io.latentflow.flink.spec;

/** An invalid pipeline spec; the message names the file and the field. */
public final class SpecException extends RuntimeException {
    public SpecException(String message) {
        super(message);
    }

    public SpecException(String message, Throwable cause) {
        super(message, cause);
    }
}
