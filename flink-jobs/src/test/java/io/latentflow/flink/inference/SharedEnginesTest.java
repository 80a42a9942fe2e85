package io.latentflow.flink.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentflow.engine.InferenceRequest;
import io.latentflow.engine.InferenceResult;
import io.latentflow.engine.Prompt;
import io.latentflow.engine.SamplingParams;
import io.latentflow.engine.init.RandomCheckpoint;
import io.latentflow.flink.spec.PipelineSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One engine per model per JVM, shared by every user, closed with the last; requests micro-batched. */
class SharedEnginesTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void model() {
        RandomCheckpoint.writeWithTokenizer(RandomCheckpoint.Preset.TINY, RandomCheckpoint.Variant.V3, 3, dir);
    }

    private static PipelineSpec spec(String name, int maxEvents, long maxWaitMs) {
        return new PipelineSpec(name, new PipelineSpec.Source("in", "in-value", null), "{x}",
                new PipelineSpec.Classify(List.of(" a", " b")), new PipelineSpec.Output("out", "dlq"),
                new PipelineSpec.Batching(maxEvents, 4096, maxWaitMs, 64), PipelineSpec.Delivery.EXACTLY_ONCE,
                new PipelineSpec.Model(dir.toString(), "vector", 2, 64L << 20));
    }

    @Test
    void pipelinesNamingTheSameModelShareOneEngineClosedWithItsLastUser() {
        SharedEngines.Handle a = SharedEngines.acquire(spec("a", 8, 5));
        SharedEngines.Handle b = SharedEngines.acquire(spec("b", 16, 5));
        assertSame(a.engine(), b.engine());
        assertEquals(1, SharedEngines.openEngines());
        a.close();
        a.close(); // a second close of the same handle releases nothing more
        assertEquals(1, SharedEngines.openEngines());
        b.close();
        assertEquals(0, SharedEngines.openEngines());
    }

    @Test
    void requestsArrivingWithinTheWaitShareABatch() {
        try (SharedEngines.Handle h = SharedEngines.acquire(spec("batched", 8, 500))) {
            List<CompletableFuture<InferenceResult>> futures = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                futures.add(h.submit(new InferenceRequest.Generate("r" + i, Prompt.ofText("event " + i),
                        SamplingParams.greedy(2))));
            }
            futures.forEach(CompletableFuture::join);
            assertEquals(1, h.batchStats().batches.sum(), "eight requests within the wait form one micro-batch");
            assertEquals(8, h.batchStats().lastBatchSize());
            long batchId = futures.get(0).join().stats().batchId();
            assertTrue(futures.stream().allMatch(f -> f.join().stats().batchId() == batchId),
                    "and are admitted into the same engine step");
        }
    }
}
