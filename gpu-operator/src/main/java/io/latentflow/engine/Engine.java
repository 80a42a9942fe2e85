package io.latentflow.engine;

import io.latentflow.engine.tokenizer.Tokenizer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A loaded model with its scheduler. Thread-safe: callers submit requests from any thread and get
 * futures; the scheduler thread batches them (continuous batching) and runs the forward passes.
 */
public final class Engine implements AutoCloseable {

    /** Loads the model directory, creates the backend and starts the scheduler. */
    public static Engine open(EngineConfig config) {
        throw new UnsupportedOperationException("engine lands next");
    }

    /** Queues a request; the future completes with its result or a descriptive exception. */
    public CompletableFuture<InferenceResult> submit(InferenceRequest request) {
        throw new UnsupportedOperationException();
    }

    /** Next-token logits after the last of {@code tokens}, from a full forward pass (vocab floats). */
    public float[] nextTokenLogits(int[] tokens) {
        throw new UnsupportedOperationException();
    }

    public ModelInfo info() {
        throw new UnsupportedOperationException();
    }

    public Optional<Tokenizer> tokenizer() {
        throw new UnsupportedOperationException();
    }

    /** Latent cache bytes in use now (running sequences). */
    public long cacheBytesInUse() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
    }
}
