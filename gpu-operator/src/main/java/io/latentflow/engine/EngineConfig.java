package io.latentflow.engine;

import io.latentflow.engine.ops.Backend;
import java.nio.file.Path;

/**
 * How an {@link Engine} is built and how its scheduler batches.
 *
 * @param modelDir              Hugging Face layout: config.json, *.safetensors, optional tokenizer.json
 * @param backend               kernel implementation
 * @param threads               worker threads of the backend's dedicated executor
 * @param cacheBudgetBytes      latent KV cache memory for all running sequences; requests wait for room
 * @param maxBatchSequences     sequences decoded together in one step
 * @param maxBatchPromptTokens  prompt tokens prefilled in one step (a longer single prompt still runs alone)
 * @param mlaMode               how attention is computed over the latent cache
 */
public record EngineConfig(Path modelDir, Backend backend, int threads, long cacheBudgetBytes, int maxBatchSequences,
                           int maxBatchPromptTokens, MlaMode mlaMode) {

    /** AUTO: expanded keys/values for multi-token chunks (prefill), absorbed for single-token decode steps. */
    public enum MlaMode { AUTO, ABSORBED, EXPANDED }

    public EngineConfig {
        if (modelDir == null) {
            throw new IllegalArgumentException("modelDir is required");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (cacheBudgetBytes < 1) {
            throw new IllegalArgumentException("cacheBudgetBytes must be >= 1, got " + cacheBudgetBytes);
        }
        if (maxBatchSequences < 1) {
            throw new IllegalArgumentException("maxBatchSequences must be >= 1, got " + maxBatchSequences);
        }
        if (maxBatchPromptTokens < 1) {
            throw new IllegalArgumentException("maxBatchPromptTokens must be >= 1, got " + maxBatchPromptTokens);
        }
    }

    /** Vector backend on all cores, 1 GiB of cache, batches of up to 32 sequences and 4096 prompt tokens. */
    public static EngineConfig defaults(Path modelDir) {
        return new EngineConfig(modelDir, Backend.VECTOR, Runtime.getRuntime().availableProcessors(), 1L << 30, 32,
                4096, MlaMode.AUTO);
    }

    public EngineConfig withModelDir(Path dir) {
        return new EngineConfig(dir, backend, threads, cacheBudgetBytes, maxBatchSequences, maxBatchPromptTokens, mlaMode);
    }

    public EngineConfig withBackend(Backend b) {
        return new EngineConfig(modelDir, b, threads, cacheBudgetBytes, maxBatchSequences, maxBatchPromptTokens, mlaMode);
    }

    public EngineConfig withThreads(int t) {
        return new EngineConfig(modelDir, backend, t, cacheBudgetBytes, maxBatchSequences, maxBatchPromptTokens, mlaMode);
    }

    public EngineConfig withCacheBudgetBytes(long bytes) {
        return new EngineConfig(modelDir, backend, threads, bytes, maxBatchSequences, maxBatchPromptTokens, mlaMode);
    }

    public EngineConfig withMaxBatchSequences(int n) {
        return new EngineConfig(modelDir, backend, threads, cacheBudgetBytes, n, maxBatchPromptTokens, mlaMode);
    }

    public EngineConfig withMaxBatchPromptTokens(int n) {
        return new EngineConfig(modelDir, backend, threads, cacheBudgetBytes, maxBatchSequences, n, mlaMode);
    }

    public EngineConfig withMlaMode(MlaMode m) {
        return new EngineConfig(modelDir, backend, threads, cacheBudgetBytes, maxBatchSequences, maxBatchPromptTokens, m);
    }
}
