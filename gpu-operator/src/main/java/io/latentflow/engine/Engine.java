package io.latentflow.engine;

import io.latentflow.engine.checkpoint.Checkpoint;
import io.latentflow.engine.checkpoint.ModelConfig;
import io.latentflow.engine.checkpoint.ModelConfigParser;
import io.latentflow.engine.checkpoint.ModelFingerprint;
import io.latentflow.engine.checkpoint.ModelManifest;
import io.latentflow.engine.model.DeepSeekModel;
import io.latentflow.engine.model.LatentKvCache;
import io.latentflow.engine.model.LayerTimes;
import io.latentflow.engine.ops.Ops;
import io.latentflow.engine.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loaded model with its scheduler. Thread-safe: callers submit requests from any thread and get
 * futures; the scheduler thread batches them (continuous batching) and runs the forward passes on
 * the backend's own threads. Invalid requests fail their future with an IllegalArgumentException
 * that names the request and what is wrong.
 */
public final class Engine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    private final EngineConfig config;
    private final ModelConfig model;
    private final Checkpoint checkpoint;
    private final Tokenizer tokenizer; // null without tokenizer.json
    private final Ops ops;
    private final LatentKvCache cache;
    private final Scheduler scheduler;
    private final RequestFactory requests;
    private final String fingerprint;
    private final LayerTimes layerTimes;

    private Engine(EngineConfig config, ModelConfig model, Checkpoint checkpoint, Tokenizer tokenizer, Ops ops) {
        this.config = config;
        this.model = model;
        this.checkpoint = checkpoint;
        this.tokenizer = tokenizer;
        this.ops = ops;
        this.cache = new LatentKvCache(model, config.cacheBudgetBytes());
        DeepSeekModel forward = new DeepSeekModel(model, checkpoint, ops);
        this.layerTimes = forward.times();
        this.requests = new RequestFactory(model, tokenizer);
        this.fingerprint = ModelFingerprint.of(config.modelDir());
        this.scheduler = new Scheduler(forward, cache, config, config.modelDir().getFileName().toString());
    }

    /** Loads the model directory, creates the backend and starts the scheduler. */
    public static Engine open(EngineConfig config) {
        ModelManifest.verifyIfPresent(config.modelDir()); // before anything of the directory is read
        ModelConfig model = ModelConfigParser.parse(config.modelDir().resolve("config.json"));
        Checkpoint checkpoint = Checkpoint.open(config.modelDir());
        Tokenizer tokenizer = null;
        Ops ops = null;
        try {
            tokenizer = Tokenizer.load(config.modelDir()).orElse(null);
            if (tokenizer != null && tokenizer.vocabSize() > model.vocabSize()) {
                throw new IllegalArgumentException(config.modelDir().resolve("tokenizer.json") + " has "
                        + tokenizer.vocabSize() + " tokens, more than the model's vocab_size " + model.vocabSize());
            }
            ops = config.backend().create(config.threads());
            Engine engine = new Engine(config, model, checkpoint, tokenizer, ops);
            LOG.info("loaded {} ({}) on {}, latent cache budget {} MiB ({} bytes per token)",
                    config.modelDir(), model.modelType(), ops.name(), config.cacheBudgetBytes() >> 20,
                    engine.cache.bytesPerToken());
            return engine;
        } catch (RuntimeException | Error e) {
            if (ops != null) {
                ops.close();
            }
            if (tokenizer != null) {
                tokenizer.close();
            }
            checkpoint.close();
            throw e;
        }
    }

    /** Queues a request; the future completes with its result or a descriptive exception. */
    public CompletableFuture<InferenceResult> submit(InferenceRequest request) {
        return submitAll(List.of(request)).get(0);
    }

    /** Queues requests together, so that they can be admitted into the same step. */
    public List<CompletableFuture<InferenceResult>> submitAll(List<? extends InferenceRequest> batch) {
        List<Work> works = new ArrayList<>();
        List<CompletableFuture<InferenceResult>> futures = new ArrayList<>();
        for (InferenceRequest r : batch) {
            try {
                Work w = requests.work(r);
                works.add(w);
                futures.add(w.future.thenApply(InferenceResult.class::cast));
            } catch (IllegalArgumentException e) {
                futures.add(CompletableFuture.failedFuture(e));
            }
        }
        scheduler.submit(works);
        return futures;
    }

    /** Logits after each prefix of {@code tokens}: (tokens, vocab), from one prefill. */
    public float[][] promptLogits(int[] tokens) {
        return promptLogits(List.of(tokens)).get(0);
    }

    /** {@link #promptLogits(int[])} of several prompts, submitted together so they share a step. */
    public List<float[][]> promptLogits(List<int[]> prompts) {
        List<ScoreWork> works = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            works.add(new ScoreWork("logits-" + i, requests.checkedTokens("logits " + i, prompts.get(i))));
        }
        scheduler.submit(works);
        List<float[][]> out = new ArrayList<>();
        for (ScoreWork w : works) {
            try {
                out.add((float[][]) w.future.join());
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : e;
            }
        }
        return out;
    }

    /** Next-token logits after the last of {@code tokens} (vocab floats). */
    public float[] nextTokenLogits(int[] tokens) {
        float[][] all = promptLogits(tokens);
        return all[all.length - 1];
    }

    public ModelInfo info() {
        return ModelInfo.of(model);
    }

    /** The model directory's name, as results report it. */
    public String modelId() {
        return config.modelDir().toAbsolutePath().normalize().getFileName().toString();
    }

    /** {@link ModelFingerprint} of the model directory. */
    public String modelFingerprint() {
        return fingerprint;
    }

    public ModelConfig modelConfig() {
        return model;
    }

    public Optional<Tokenizer> tokenizer() {
        return Optional.ofNullable(tokenizer);
    }

    /** The backend's name, e.g. for benchmarks. */
    public String backendName() {
        return ops.name();
    }

    /** Cumulative time of the decoder layers' attention, router and expert phases (benchmarks). */
    public LayerTimes.Snapshot layerTimes() {
        return layerTimes.snapshot();
    }

    /** Latent cache bytes reserved by running sequences now. */
    public long cacheBytesInUse() {
        return cache.reservedBytes();
    }

    /** Latent cache bytes one token occupies across all layers. */
    public long cacheBytesPerToken() {
        return cache.bytesPerToken();
    }

    /** Requests submitted and not yet admitted. */
    public int waitingRequests() {
        return scheduler.waitingCount();
    }

    /** Requests in the running batch. */
    public int runningRequests() {
        return scheduler.runningCount();
    }

    /**
     * Fault injection for tests: the next forward step throws {@code error} instead of running, which fails
     * every request in that step, as a real failure of the model code or the backend would.
     */
    public void failNextStep(RuntimeException error) {
        scheduler.failNextStep(error);
    }

    @Override
    public void close() {
        scheduler.close();
        ops.close();
        if (tokenizer != null) {
            tokenizer.close();
        }
        checkpoint.close();
    }
}
