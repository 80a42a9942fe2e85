package io.latentflow.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latentflow.engine.Engine;
import io.latentflow.engine.EngineConfig;
import io.latentflow.engine.InferenceRequest;
import io.latentflow.engine.InferenceResult;
import io.latentflow.engine.ModelInfo;
import io.latentflow.engine.Prompt;
import io.latentflow.engine.RequestStats;
import io.latentflow.engine.SamplingParams;
import io.latentflow.engine.checkpoint.Checkpoint;
import io.latentflow.engine.init.RandomCheckpoint;
import io.latentflow.engine.model.LayerTimes;
import io.latentflow.engine.ops.Backend;
import io.latentflow.engine.ops.HardwareLimits;
import io.latentflow.engine.ops.VectorOps;
import io.latentflow.engine.tensor.DType;
import java.io.PrintWriter;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code latentflow bench engine}: prefill and decode throughput of one engine, by batch size.
 *
 * <p>How each figure is measured (wall clock, {@link System#nanoTime()}, engine already loaded):
 * <ul>
 *   <li>Warm-up: {@code --warmup} rounds (default 5) of one batch of the smallest size with the full decode steps,
 *       and before each larger size one batch of it with {@value #WARMUP_PROMPT_TOKENS}-token prompts; not
 *       reported. The figures are the steady state of a long-running engine, after the JIT's compilations.</li>
 *   <li>Prompts are {@code --prompt-tokens} uniformly random ids from the model's vocabulary (seeded by
 *       {@code --seed}); every request gets a different prompt, so no work is shared.</li>
 *   <li>Prefill, per batch size B: B generate requests with {@code max_new_tokens = 1} are submitted at once;
 *       {@code prefill_ms} is the wall time from the first submit until the last result.
 *       {@code prefill_tokens_per_s = B · prompt_tokens / prefill_ms}. (The one new token per request comes
 *       from the prefill logits, so this is time to first token of the whole batch.)</li>
 *   <li>Decode, per batch size B: B greedy requests with {@code max_new_tokens = decode_steps} (fresh prompts)
 *       are submitted at once; {@code total_ms} is their wall time. {@code decode_ms} is the window from the
 *       end of the step that gave the last-admitted request its first token to the last token of all, from
 *       the requests' own timings ({@link DecodeWindow}); {@code decode_tokens} the tokens made in it,
 *       {@code decode_tokens_per_s = decode_tokens / decode_ms}, {@code ms_per_step = decode_ms / steps in
 *       it}. Null when there was nothing to decode ({@code --decode-steps 1}).</li>
 *   <li>{@code jit_ms_during_decode_run}: what the JIT compilers spent during that decode run (its prefill
 *       included), from {@link CompilationMXBean}: near 0 at steady state; compilations share the cores with
 *       the engine's threads.</li>
 * </ul>
 * With {@code --repeat N} each batch size is measured N times, in N rounds that each run every size once, and
 * the run with the median decode tokens/s is reported.
 *
 * <p>Limits of this machine, measured in the same process after the engine runs, with the engine's thread count
 * ({@link HardwareLimits}): float32 FMA peak, streaming read bandwidth, and the Vector backend's GEMM on a packed
 * 2048×2048 weight with 2048 rows ({@code gemm_gflops}), OpenBLAS's sgemm on the same product right after it
 * ({@code openblas_sgemm_gflops}, {@link ReferenceBlas}; null where its native library does not load), and the
 * share of the time a busy thread does not run (before and after the runs: a shared host's stalls come and go).
 * From them: the batch-1 decode bound = read bandwidth ÷
 * bytes of active weights per token, and the compute bound = peak ÷ (2 · active parameters). {@code layer_ms}:
 * attention, router and experts time per layer per decode step ({@link LayerTimes}).
 *
 * <p>The scheduler may batch fewer sequences than B when {@code --cache-budget-mb} cannot hold them all (a warning
 * is logged); max batch sequences is raised to the largest B.
 */
@Command(name = "engine", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Measure prefill and decode tokens/s at several batch sizes (table on stderr, JSON on stdout).")
final class BenchEngineCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(BenchEngineCommand.class);

    @Spec
    CommandSpec spec;

    @Mixin
    EngineOptions engine;

    @Option(names = "--prompt-tokens", defaultValue = "128", paramLabel = "N", description = "Prompt length. Default: ${DEFAULT-VALUE}.")
    int promptTokens;

    @Option(names = "--decode-steps", defaultValue = "32", paramLabel = "N",
            description = "Tokens generated per request. Default: ${DEFAULT-VALUE}.")
    int decodeSteps;

    @Option(names = "--batches", defaultValue = "1,8,32,128", split = ",", paramLabel = "B",
            description = "Batch sizes (concurrent requests). Default: ${DEFAULT-VALUE}.")
    List<Integer> batches;

    /** Prompt length of the one warm-up batch before each larger batch size. */
    static final int WARMUP_PROMPT_TOKENS = 16;

    // a streaming job decodes for hours, so the figures are the steady state: on 2 cores the JIT
    // compilers share the CPUs with the engine during the first rounds (small, batch 1 after 1 / 2 /
    // 3 / 5 rounds: 94.6 / 101.7 / 111 / 114 tok/s in the same minutes)
    @Option(names = "--warmup", defaultValue = "5", paramLabel = "N",
            description = "Warm-up rounds (not reported), until the JIT has compiled the kernels. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed of the random prompts. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--repeat", defaultValue = "1", paramLabel = "N",
            description = "Rounds over all batch sizes; each size's median run is reported. Default: ${DEFAULT-VALUE}.")
    int repeat;

    @Option(names = "--skip-limits",
            description = "Do not measure this machine's peak FLOP/s, read bandwidth and GEMM, ours and OpenBLAS's (about 25 s), nor ratios.")
    boolean skipLimits;

    /** llama.cpp (CPU, AVX-512, 2 threads) on a checkpoint of the small shapes, as quoted in issue #5. */
    private static final double LLAMA_CPP_B1 = 77.8;
    private static final double LLAMA_CPP_B32 = 234;
    /** How long each stall-share measurement spins. */
    private static final int STALL_MILLIS = 1000;

    @Option(names = "--json", description = "Only the JSON (on stdout); no table on stderr.")
    boolean jsonOnly;

    /**
     * One prefill and one decode run of a batch size, with the layer timers and the JIT's compile time
     * (ms) over the decode run.
     */
    private record Measured(Run prefill, Run total, LayerTimes.Snapshot times, long jitMs) {
        double decodeRate() {
            DecodeWindow d = DecodeWindow.of(total.results());
            return d.nanos() <= 0 || d.tokens() <= 0 ? 0 : d.tokens() * 1e9 / d.nanos();
        }
    }

    private record Run(long wallNanos, List<InferenceResult.Generated> results) {
        int generated() {
            return results.stream().mapToInt(r -> r.tokens().length).sum();
        }

        int longest() {
            return results.stream().mapToInt(r -> r.tokens().length).max().orElse(0);
        }
    }

    /**
     * The decode part of a batch's run, from the requests' own timings: from the end of the step that
     * gave the last-admitted request its first token to the last token of all. A request admitted in
     * step a makes one token a step from then on, so by that window's start it has made
     * {@code 1 + (lastAdmission - a)} tokens; the rest are the window's.
     *
     * @param nanos  the window's wall time
     * @param tokens tokens made in it
     * @param steps  decode steps in it (the most tokens one request made in it)
     */
    record DecodeWindow(long nanos, int tokens, int steps) {
        static DecodeWindow of(List<InferenceResult.Generated> results) {
            long start = 0;
            long end = 0;
            long lastAdmission = 0;
            for (InferenceResult.Generated g : results) {
                RequestStats s = g.stats();
                start = Math.max(start, s.queueNanos() + s.firstOutputNanos());
                end = Math.max(end, s.queueNanos() + s.computeNanos());
                lastAdmission = Math.max(lastAdmission, s.batchId());
            }
            int tokens = 0;
            int steps = 0;
            for (InferenceResult.Generated g : results) {
                int after = Math.max(0, g.tokens().length - 1 - (int) (lastAdmission - g.stats().batchId()));
                tokens += after;
                steps = Math.max(steps, after);
            }
            return new DecodeWindow(Math.max(0, end - start), tokens, steps);
        }
    }

    @Override
    public Integer call() {
        validate();
        int maxBatch = batches.stream().mapToInt(Integer::intValue).max().orElseThrow();
        EngineConfig config = engine.config(spec);
        config = config.withMaxBatchSequences(Math.max(config.maxBatchSequences(), maxBatch));
        long t0 = System.nanoTime();
        try (Engine e = EngineOptions.open(config)) {
            long loadNanos = System.nanoTime() - t0;
            ModelInfo info = e.info();
            if (promptTokens + decodeSteps > info.maxPositionEmbeddings()) {
                throw new ParameterException(spec.commandLine(), "--prompt-tokens + --decode-steps = "
                        + (promptTokens + decodeSteps) + " exceeds the model's max_position_embeddings "
                        + info.maxPositionEmbeddings());
            }
            long needed = (long) maxBatch * (promptTokens + decodeSteps) * info.kvCacheBytesPerToken();
            if (needed > config.cacheBudgetBytes()) {
                LOG.warn("batch {} needs {} MiB of latent cache, budget is {} MiB: requests will wait for room",
                        maxBatch, (needed >> 20) + 1, config.cacheBudgetBytes() >> 20);
            }
            Random rng = new Random(seed);
            int smallest = batches.stream().mapToInt(Integer::intValue).min().orElseThrow();
            for (int w = 0; w < warmup; w++) {
                LOG.info("warm-up {}/{}", w + 1, warmup);
                run(e, info, rng, smallest, promptTokens, decodeSteps);
            }
            // read bandwidth before the runs too: the host's bandwidth drifts over the minutes a run
            // takes, and the bound uses the best figure of the run (the stricter ratio)
            double readBefore = skipLimits ? Double.NaN : HardwareLimits.readGBs(config.threads());
            double stallBefore = skipLimits ? Double.NaN : HardwareLimits.stallShare(config.threads(), STALL_MILLIS);
            ObjectNode json = Json.object();
            json.set("machine", machine(config));
            ObjectNode model = json.putObject("model");
            model.put("model_dir", config.modelDir().toAbsolutePath().normalize().toString());
            model.put("model_type", info.modelType());
            model.put("total_parameters", info.totalParameters());
            model.put("active_parameters_per_token", info.activeParametersPerToken());
            json.put("prompt_tokens", promptTokens);
            json.put("decode_steps", decodeSteps);
            json.put("warmup_runs", warmup);
            json.put("load_ms", Json.millis(loadNanos));
            ArrayNode rows = json.putArray("results");
            ObjectNode decodeRates = Json.object();
            ObjectNode layerByBatch = Json.object();
            double prefillB1 = Double.NaN;
            for (int b : batches) {
                if (warmup > 0 && b != smallest) {
                    // the kernels of larger token blocks (4- and 8-row tiles, staged panels) get their
                    // compilations here, not in the first measured run; short prompts keep it quick
                    LOG.info("batch {}: warm-up", b);
                    run(e, info, rng, b, Math.min(promptTokens, WARMUP_PROMPT_TOKENS), decodeSteps);
                }
            }
            // each round measures every batch size once: on a shared host the speed drifts over the
            // minutes of a run (read bandwidth 10-20% from one minute to the next), and interleaved
            // rounds put that drift on all sizes alike, so the ratios between sizes compare the same minutes
            Map<Integer, List<Measured>> runs = new LinkedHashMap<>();
            for (int i = 0; i < repeat; i++) {
                for (int b : batches) {
                    LOG.info("batch {}: prefill ({}/{})", b, i + 1, repeat);
                    Run prefill = run(e, info, rng, b, promptTokens, 1);
                    LOG.info("batch {}: decode {} steps ({}/{})", b, decodeSteps, i + 1, repeat);
                    LayerTimes.Snapshot before = e.layerTimes();
                    long jitBefore = jitMillis();
                    Run total = run(e, info, rng, b, promptTokens, decodeSteps);
                    runs.computeIfAbsent(b, k -> new ArrayList<>())
                            .add(new Measured(prefill, total, e.layerTimes().minus(before), jitMillis() - jitBefore));
                }
            }
            for (int b : batches) {
                List<Measured> sizeRuns = runs.get(b);
                sizeRuns.sort((x, y) -> Double.compare(x.decodeRate(), y.decodeRate()));
                Measured m = sizeRuns.get(sizeRuns.size() / 2);
                ObjectNode r = row(b, m.prefill(), m.total());
                // steady state or not: compilations in the window compete with the engine's threads
                r.put("jit_ms_during_decode_run", m.jitMs());
                ObjectNode layer = layerMs(m.times(), info.layers());
                r.set("layer_ms", layer);
                rows.add(r);
                decodeRates.set(String.valueOf(b), r.get("decode_tokens_per_s"));
                layerByBatch.set(String.valueOf(b), layer);
                if (b == 1) {
                    prefillB1 = r.get("prefill_tokens_per_s").asDouble();
                }
            }
            // the headline figures, then the limits and the ratios to them
            num(json, "prefill_tokens_per_s", prefillB1);
            json.set("decode_tokens_per_s", decodeRates);
            json.set("layer_ms", layerByBatch.has("1") ? layerByBatch.get("1") : layerByBatch.elements().next());
            json.set("layer_ms_by_batch", layerByBatch);
            json.put("kv_cache_bytes_per_token", info.kvCacheBytesPerToken());
            if (!skipLimits) {
                limits(json, config, info, decodeRates, readBefore, stallBefore);
            }
            if (!jsonOnly) {
                table(spec.commandLine().getErr(), json);
            }
            Json.print(spec.commandLine().getOut(), json);
        }
        return 0;
    }

    /** The JIT compilers' total time so far (summed over their threads), or 0 where the JVM does not say. */
    private static long jitMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    /** attention / router / experts ms per layer per decode step, and the router's share of the layer. */
    private static ObjectNode layerMs(LayerTimes.Snapshot t, int layers) {
        ObjectNode o = Json.object();
        long steps = Math.max(1, t.decodeSteps()) * layers;
        o.put("attention", Math.round(t.decodeAttention() / 1e3 / steps) / 1e3);
        o.put("router", Math.round(t.decodeRouter() / 1e3 / steps) / 1e3);
        o.put("experts", Math.round(t.decodeExperts() / 1e3 / steps) / 1e3);
        long all = t.decodeAttention() + t.decodeRouter() + t.decodeExperts();
        o.put("router_share", all == 0 ? 0 : Math.round(1e4 * t.decodeRouter() / all) / 1e4);
        o.put("decode_steps", t.decodeSteps());
        return o;
    }

    private void limits(ObjectNode json, EngineConfig config, ModelInfo info, ObjectNode decode, double readBefore,
                        double stallBefore) {
        int threads = config.threads();
        LOG.info("measuring this machine's limits with {} threads", threads);
        double peak = HardwareLimits.peakGflops(threads);
        double readAfter = HardwareLimits.readGBs(threads);
        double stallAfter = HardwareLimits.stallShare(threads, STALL_MILLIS);
        double read = Math.max(readBefore, readAfter);
        double gemm;
        double gemmBf16;
        try (VectorOps v = new VectorOps(threads)) {
            gemm = HardwareLimits.gemmGflops(v, DType.F32, 2048);
            gemmBf16 = HardwareLimits.gemmGflops(v, DType.BF16, 2048);
        }
        // the same product on OpenBLAS right after ours: a reference measured beside it, not quoted.
        // Last on purpose: OpenBLAS's threads keep spinning after a call, and an FMA pass right after
        // one measured a third less (the log, ninth session)
        ReferenceBlas.Measured blas = ReferenceBlas.sgemmGflops(threads, 2048);
        int weightBytes;
        if (config.backend() == Backend.VECTOR_INT8) {
            weightBytes = 1; // plus one float scale per row: under 1% for these shapes
        } else {
            try (Checkpoint ckpt = Checkpoint.open(config.modelDir())) {
                weightBytes = ckpt.matrix("model.embed_tokens.weight", info.vocabSize(), info.hiddenSize()).dtype.bytes;
            }
        }
        long bytesPerToken = info.activeParametersPerToken() * weightBytes;
        double bandwidthBound = read * 1e9 / bytesPerToken;
        double computeBound = peak * 1e9 / (2.0 * info.activeParametersPerToken());
        json.put("gemm_gflops", round1(gemm));
        json.put("gemm_bf16_gflops", round1(gemmBf16));
        ObjectNode l = json.putObject("limits");
        l.put("threads", threads);
        l.put("peak_gflops", round1(peak));
        num(l, "openblas_sgemm_gflops", round1(blas.gflops()));
        if (blas.unavailable() != null) {
            l.put("openblas_unavailable", blas.unavailable());
        }
        l.put("read_gb_s", round1(read));
        l.put("read_gb_s_before_runs", round1(readBefore));
        l.put("read_gb_s_after_runs", round1(readAfter));
        l.put("host_stall_share_before_runs", round3(stallBefore));
        l.put("host_stall_share_after_runs", round3(stallAfter));
        l.put("active_weight_bytes_per_token", bytesPerToken);
        l.put("decode_bandwidth_bound_tokens_per_s", round1(bandwidthBound));
        l.put("decode_compute_bound_tokens_per_s", round1(computeBound));
        ObjectNode r = json.putObject("ratios");
        r.put("gemm_to_peak", round3(gemm / peak));
        r.put("gemm_bf16_to_peak", round3(gemmBf16 / peak));
        num(r, "openblas_sgemm_to_peak", round3(blas.gflops() / peak));
        num(r, "gemm_to_openblas_sgemm", round3(gemm / blas.gflops()));
        double b1 = decode.path("1").asDouble(Double.NaN);
        double b32 = decode.path("32").asDouble(Double.NaN);
        num(r, "decode_b1_to_bandwidth_bound", round3(b1 / bandwidthBound));
        num(r, "decode_b32_to_b1", round3(b32 / b1));
        num(r, "decode_b32_to_compute_bound", round3(b32 / computeBound));
        // llama.cpp's figures belong to the small preset's shapes: no ratio to them for other models
        boolean smallShapes = hasSmallShapes(info);
        if (smallShapes) {
            num(r, "decode_b1_to_llama_cpp", round3(b1 / LLAMA_CPP_B1));
            num(r, "decode_b32_to_llama_cpp", round3(b32 / LLAMA_CPP_B32));
        }
        ObjectNode t = json.putObject("targets_met");
        t.put("gemm_85pct_of_peak", gemm >= 0.85 * peak);
        if (b1 > bandwidthBound) {
            // not a bound: the read loop streamed slower than decode did, so the target cannot be
            // judged here (until 30 November the loop's streams lay 128 MiB apart, and a Zen 3 read
            // them at 10-15 GB/s where batch 1 streamed 18; see HardwareLimits.readLoop)
            t.putNull("decode_b1_85pct_of_bandwidth_bound");
            json.putArray("notes").add(String.format("batch 1 decoded at %.2f of the bandwidth bound: the read loop"
                    + " measured less than decode streams on this machine, so the batch-1 target is not judged", b1 / bandwidthBound));
        } else {
            t.put("decode_b1_85pct_of_bandwidth_bound", b1 >= 0.85 * bandwidthBound);
        }
        t.put("decode_b32_5x_b1", b32 >= 5 * b1);
        if (smallShapes) {
            t.put("decode_b1_1.2x_llama_cpp", b1 >= 1.2 * LLAMA_CPP_B1);
            t.put("decode_b32_2x_llama_cpp", b32 >= 2 * LLAMA_CPP_B32);
        }
        double share = 0;
        for (var layer : json.get("layer_ms_by_batch")) {
            share = Math.max(share, layer.get("router_share").asDouble());
        }
        t.put("router_under_5pct_of_layer", share < 0.05);
    }

    /**
     * Whether the model has the small preset's parameter counts (either variant), the shapes the
     * llama.cpp figures were measured on.
     */
    static boolean hasSmallShapes(ModelInfo info) {
        for (RandomCheckpoint.Variant variant : RandomCheckpoint.Variant.values()) {
            ModelInfo small = ModelInfo.of(RandomCheckpoint.config(RandomCheckpoint.Preset.SMALL, variant));
            if (info.totalParameters() == small.totalParameters()
                    && info.activeParametersPerToken() == small.activeParametersPerToken()) {
                return true;
            }
        }
        return false;
    }

    /** v, or null when it is not a number (a batch size that was not run). */
    private static void num(ObjectNode o, String key, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            o.putNull(key);
        } else {
            o.put(key, v);
        }
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static double round3(double v) {
        return Double.isNaN(v) ? Double.NaN : Math.round(v * 1000) / 1000.0;
    }

    private void validate() {
        if (promptTokens < 1) {
            throw new ParameterException(spec.commandLine(), "--prompt-tokens must be >= 1, got " + promptTokens);
        }
        if (decodeSteps < 1) {
            throw new ParameterException(spec.commandLine(), "--decode-steps must be >= 1, got " + decodeSteps);
        }
        if (repeat < 1) {
            throw new ParameterException(spec.commandLine(), "--repeat must be >= 1, got " + repeat);
        }
        if (warmup < 0) {
            throw new ParameterException(spec.commandLine(), "--warmup must be >= 0, got " + warmup);
        }
        if (batches == null || batches.isEmpty() || batches.stream().anyMatch(b -> b == null || b < 1)) {
            throw new ParameterException(spec.commandLine(), "--batches takes sizes >= 1, like 1,8,32; got " + batches);
        }
    }

    private Run run(Engine e, ModelInfo info, Random rng, int batch, int promptLength, int maxNewTokens) {
        List<Prompt> prompts = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            int[] ids = new int[promptLength];
            for (int j = 0; j < ids.length; j++) {
                ids[j] = rng.nextInt(info.vocabSize());
            }
            prompts.add(Prompt.ofTokens(ids));
        }
        SamplingParams greedy = SamplingParams.greedy(maxNewTokens);
        List<CompletableFuture<InferenceResult>> futures = new ArrayList<>(batch);
        long start = System.nanoTime();
        for (int i = 0; i < batch; i++) {
            futures.add(e.submit(new InferenceRequest.Generate("bench-" + i, prompts.get(i), greedy)));
        }
        CompletableFuture.allOf(futures.toArray(new CompletableFuture[0])).join();
        long wall = System.nanoTime() - start;
        List<InferenceResult.Generated> results = new ArrayList<>(batch);
        for (CompletableFuture<InferenceResult> f : futures) {
            results.add((InferenceResult.Generated) f.join());
        }
        return new Run(wall, results);
    }

    private ObjectNode row(int batch, Run prefill, Run total) {
        ObjectNode r = Json.object();
        r.put("batch", batch);
        r.put("prefill_ms", Json.millis(prefill.wallNanos()));
        r.put("prefill_tokens_per_s", perSecond((long) batch * promptTokens, prefill.wallNanos()));
        r.put("total_ms", Json.millis(total.wallNanos()));
        DecodeWindow d = DecodeWindow.of(total.results());
        r.put("decode_ms", Json.millis(d.nanos()));
        r.put("generated_tokens", total.generated());
        r.put("decode_tokens", d.tokens());
        if (d.tokens() > 0 && d.nanos() > 0) {
            r.put("decode_tokens_per_s", perSecond(d.tokens(), d.nanos()));
            r.put("ms_per_step", Json.millis(d.nanos() / Math.max(1, d.steps())));
        } else {
            r.putNull("decode_tokens_per_s");
            r.putNull("ms_per_step");
        }
        return r;
    }

    private static double perSecond(long tokens, long nanos) {
        return nanos <= 0 ? 0 : Math.round(tokens * 1e10 / nanos) / 10.0;
    }

    private static ObjectNode machine(EngineConfig config) {
        ObjectNode m = Json.object();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("java_version", System.getProperty("java.version"));
        m.put("java_vm", System.getProperty("java.vm.name"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("arch", System.getProperty("os.arch"));
        m.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
        m.put("backend", config.backend().label());
        m.put("threads", config.threads());
        m.put("transparent_huge_pages", HardwareLimits.transparentHugePages());
        return m;
    }

    private static void table(PrintWriter err, ObjectNode json) {
        ObjectNode m = (ObjectNode) json.get("machine");
        err.printf("%s, backend %s, %d threads, %d cores, Java %s, huge pages %s; prompt %d tokens, %d decode steps%n",
                json.get("model").get("model_type").asText(), m.get("backend").asText(), m.get("threads").asInt(),
                m.get("cores").asInt(), m.get("java_version").asText(), m.get("transparent_huge_pages").asText(),
                json.get("prompt_tokens").asInt(),
                json.get("decode_steps").asInt());
        err.printf("%6s %12s %14s %12s %14s %10s%n", "batch", "prefill ms", "prefill tok/s", "decode ms",
                "decode tok/s", "ms/step");
        for (var r : json.get("results")) {
            err.printf("%6d %12.1f %14.1f %12.1f %14s %10s%n", r.get("batch").asInt(), r.get("prefill_ms").asDouble(),
                    r.get("prefill_tokens_per_s").asDouble(), r.get("decode_ms").asDouble(),
                    r.get("decode_tokens_per_s").isNull() ? "-" : String.format("%.1f", r.get("decode_tokens_per_s").asDouble()),
                    r.get("ms_per_step").isNull() ? "-" : String.format("%.2f", r.get("ms_per_step").asDouble()));
        }
        if (json.has("ratios")) {
            var l = json.get("limits");
            err.printf("limits (%d threads): peak %.1f GFLOP/s, read %.1f GB/s (before the runs %.1f, after %.1f);"
                    + " GEMM 2048^3 f32 %.1f GFLOP/s, bf16 %.1f; OpenBLAS sgemm %s%n",
                    l.get("threads").asInt(), l.get("peak_gflops").asDouble(), l.get("read_gb_s").asDouble(),
                    l.get("read_gb_s_before_runs").asDouble(), l.get("read_gb_s_after_runs").asDouble(),
                    json.get("gemm_gflops").asDouble(), json.get("gemm_bf16_gflops").asDouble(),
                    l.get("openblas_sgemm_gflops").isNull() ? "unavailable (" + l.path("openblas_unavailable").asText() + ")"
                            : String.format("%.1f GFLOP/s", l.get("openblas_sgemm_gflops").asDouble()));
            err.printf("host stall share (a busy thread not running): %.3f before the runs, %.3f after%n",
                    l.get("host_stall_share_before_runs").asDouble(), l.get("host_stall_share_after_runs").asDouble());
            err.printf("bounds: decode b1 %.1f tok/s (bandwidth), %.1f tok/s (compute)%n",
                    l.get("decode_bandwidth_bound_tokens_per_s").asDouble(),
                    l.get("decode_compute_bound_tokens_per_s").asDouble());
            err.println("ratios: " + json.get("ratios"));
            err.println("targets met: " + json.get("targets_met"));
            for (var note : json.path("notes")) {
                err.println("note: " + note.asText());
            }
        }
        err.println("layer ms (batch 1 decode, per layer per step): " + json.get("layer_ms"));
        err.flush();
    }
}
