package io.latentflow.flink.inference;

import io.latentflow.engine.Engine;
import io.latentflow.engine.InferenceRequest;
import io.latentflow.engine.InferenceResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Gathers requests from every slot of the task manager into micro-batches: the first request of a
 * batch waits at most {@code maxWaitMs} for company, a batch holds at most {@code maxEvents}, and
 * the batch enters the engine's scheduler at once so its prompts share one prefill step. The
 * engine's own limit on prompt tokens per step splits a batch whose prompts are too long together.
 */
final class MicroBatcher implements AutoCloseable {
    private record Pending(InferenceRequest request, CompletableFuture<InferenceResult> result) {
    }

    private final Engine engine;
    private final int maxEvents;
    private final long maxWaitNanos;
    private final IntConsumer batchSizes;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    MicroBatcher(Engine engine, int maxEvents, long maxWaitMs, IntConsumer batchSizes, String name) {
        this.engine = engine;
        this.maxEvents = maxEvents;
        this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMs);
        this.batchSizes = batchSizes;
        this.thread = new Thread(this::loop, "latentflow-microbatcher-" + name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    CompletableFuture<InferenceResult> submit(InferenceRequest request) {
        CompletableFuture<InferenceResult> f = new CompletableFuture<>();
        if (closed) {
            f.completeExceptionally(new IllegalStateException("micro-batcher is closed"));
        } else {
            queue.add(new Pending(request, f));
        }
        return f;
    }

    private void loop() {
        List<Pending> batch = new ArrayList<>();
        try {
            while (!closed) {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + maxWaitNanos;
                while (batch.size() < maxEvents) {
                    long left = deadline - System.nanoTime();
                    Pending next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                dispatch(batch);
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        IllegalStateException closedError = new IllegalStateException("micro-batcher closed");
        batch.forEach(p -> p.result().completeExceptionally(closedError));
        queue.forEach(p -> p.result().completeExceptionally(closedError));
    }

    private void dispatch(List<Pending> batch) {
        batchSizes.accept(batch.size());
        List<CompletableFuture<InferenceResult>> results =
                engine.submitAll(batch.stream().map(Pending::request).toList());
        for (int i = 0; i < batch.size(); i++) {
            CompletableFuture<InferenceResult> target = batch.get(i).result();
            results.get(i).whenComplete((r, e) -> {
                if (e != null) {
                    target.completeExceptionally(e instanceof java.util.concurrent.CompletionException
                            && e.getCause() != null ? e.getCause() : e);
                } else {
                    target.complete(r);
                }
            });
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
