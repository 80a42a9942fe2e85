package io.latentflow.engine.checkpoint;

/**
 * Any problem with a checkpoint on disk: unreadable or malformed {@code config.json}, a safetensors file
 * whose header does not describe its bytes, a tensor that is missing or has the wrong shape or dtype.
 * Unchecked because callers cannot recover; the message always names the file (and tensor or field) so
 * the user can find what to fix without a stack trace.
 */
public class CheckpointException extends RuntimeException {
    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
