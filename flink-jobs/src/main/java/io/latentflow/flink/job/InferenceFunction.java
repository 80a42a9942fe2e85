package io.latentflow.flink.job;

import io.latentflow.engine.InferenceRequest;
import io.latentflow.engine.InferenceResult;
import io.latentflow.engine.Prompt;
import io.latentflow.engine.RequestStats;
import io.latentflow.engine.SamplingParams;
import io.latentflow.flink.inference.SharedEngines;
import io.latentflow.flink.spec.PipelineSpec;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * The inference operator's function: hands each prompt to the task manager's shared engine and
 * completes with an InferenceResult, or with a dead letter when the request itself is invalid
 * (e.g. a prompt over the model's context). Other engine failures fail the job so that it
 * restores from its checkpoint and retries: the async operator keeps the requests in flight in its
 * checkpointed state, so after a restore every event is inferred and emitted exactly once.
 */
public final class InferenceFunction extends RichAsyncFunction<PromptedEvent, Outcome> {
    private final PipelineSpec spec;
    private final long engineFailOnceAfter;
    private transient long submitted;
    private transient SharedEngines.Handle engine;
    private transient Histogram queueMs;
    private transient Histogram computeMs;
    private transient Histogram batchSize;
    private transient Counter promptTokens;
    private transient Counter generatedTokens;
    private transient Counter deadLetters;

    public InferenceFunction(PipelineSpec spec) {
        this(spec, 0);
    }

    /**
     * @param engineFailOnceAfter testing ({@link LatentFlowOptions#ENGINE_FAIL_ONCE_AFTER}): after this many
     *                            requests, once per pipeline and JVM, the engine's next step throws (0 = never)
     */
    public InferenceFunction(PipelineSpec spec, long engineFailOnceAfter) {
        this.spec = spec;
        this.engineFailOnceAfter = engineFailOnceAfter;
    }

    /** The key under which {@link FailOnce} records that the engine failure of a pipeline was injected. */
    public static String engineFault(String pipeline) {
        return "engine:" + pipeline;
    }

    @Override
    public void open(OpenContext context) {
        engine = SharedEngines.acquire(spec);
        MetricGroup m = getRuntimeContext().getMetricGroup().addGroup("latentflow");
        queueMs = m.histogram("queueWaitMs", new DescriptiveStatisticsHistogram(1000));
        computeMs = m.histogram("inferenceLatencyMs", new DescriptiveStatisticsHistogram(1000));
        batchSize = m.histogram("batchSize", new DescriptiveStatisticsHistogram(1000));
        promptTokens = m.counter("promptTokens");
        generatedTokens = m.counter("generatedTokens");
        m.meter("promptTokensPerSecond", new MeterView(promptTokens));
        m.meter("generatedTokensPerSecond", new MeterView(generatedTokens));
        deadLetters = m.counter("deadLetters");
        m.gauge("engineCacheBytes", () -> engine.engine().cacheBytesInUse());
    }

    @Override
    public void asyncInvoke(PromptedEvent event, ResultFuture<Outcome> out) {
        InferenceRequest request;
        try {
            request = request(event);
        } catch (IllegalArgumentException e) {
            out.complete(List.of(deadLetter(event, e)));
            return;
        }
        if (engineFailOnceAfter > 0 && ++submitted >= engineFailOnceAfter
                && FailOnce.claim(engineFault(spec.name()))) {
            engine.engine().failNextStep(new IllegalStateException("injected engine failure in pipeline "
                    + spec.name() + " after " + submitted + " requests"));
        }
        engine.submit(request).whenComplete((result, error) -> {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause == null) {
                out.complete(List.of(outcome(event, result)));
            } else if (cause instanceof IllegalArgumentException) {
                out.complete(List.of(deadLetter(event, cause)));
            } else {
                out.completeExceptionally(cause);
            }
        });
    }

    private InferenceRequest request(PromptedEvent e) {
        String id = e.source.toString();
        Prompt prompt = Prompt.ofText(e.prompt);
        if (spec.task() instanceof PipelineSpec.Classify c) {
            return new InferenceRequest.Classify(id, prompt, c.labels().stream().map(Prompt::ofText).toList());
        }
        PipelineSpec.Generate g = (PipelineSpec.Generate) spec.task();
        // the seed follows the record, so a replay after a restore samples the same text
        long seed = g.seed() * 31 + e.source.partition * 1_000_003L + e.source.offset;
        return new InferenceRequest.Generate(id, prompt, new SamplingParams(g.temperature(), g.topK(), g.topP(), seed,
                g.maxNewTokens(), null, g.stop()));
    }

    private Outcome outcome(PromptedEvent e, InferenceResult r) {
        Outcome o = new Outcome();
        o.source = e.source;
        o.eventKey = e.eventKey;
        o.pipeline = spec.name();
        if (r instanceof InferenceResult.Classified c) {
            o.task = "CLASSIFY";
            o.label = c.label();
            o.labels = c.labels().toArray(new String[0]);
            o.probabilities = c.probabilities();
        } else {
            o.task = "GENERATE";
            o.generatedText = ((InferenceResult.Generated) r).text();
            o.labels = new String[0];
            o.probabilities = new double[0];
        }
        RequestStats s = r.stats();
        o.promptTokens = s.promptTokens();
        o.generatedTokens = s.generatedTokens();
        o.queueMs = s.queueNanos() / 1e6;
        o.computeMs = s.computeNanos() / 1e6;
        o.batchId = s.batchId();
        o.inferenceTime = System.currentTimeMillis();
        o.modelId = engine.engine().modelId();
        o.modelHash = engine.engine().modelFingerprint();
        queueMs.update(Math.round(o.queueMs));
        computeMs.update(Math.round(o.computeMs));
        batchSize.update(engine.batchStats().lastBatchSize());
        promptTokens.inc(s.promptTokens());
        generatedTokens.inc(s.generatedTokens());
        return o;
    }

    private Outcome deadLetter(PromptedEvent e, Throwable error) {
        deadLetters.inc();
        return Outcome.deadLetter(e.source, e.eventKey, spec.name(), error);
    }

    @Override
    public void close() {
        if (engine != null) {
            engine.close();
        }
    }
}
