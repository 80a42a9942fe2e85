package io.latentflow.engine;

import io.latentflow.engine.EngineConfig.MlaMode;
import io.latentflow.engine.model.Chunk;
import io.latentflow.engine.model.DeepSeekModel;
import io.latentflow.engine.model.LatentKvCache;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Continuous batching on one dedicated thread. Between steps, waiting requests join the running
 * batch (FIFO) while the batch has sequence slots, the step's prefill token limit allows and the
 * latent cache budget has room for their whole reservation; a request that does not fit waits,
 * and so do the requests behind it. Each step runs one forward pass over the new prompts' chunks
 * and every running sequence's next token; finished requests leave and free their cache.
 */
final class Scheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);

    private final DeepSeekModel model;
    private final LatentKvCache cache;
    private final EngineConfig config;
    private final ArrayDeque<Work> waiting = new ArrayDeque<>(); // guarded by this
    private final List<Work> running = new ArrayList<>();        // scheduler thread only
    private final Thread thread;
    private volatile boolean closed;
    private volatile RuntimeException injectedFailure; // Engine.failNextStep
    private volatile int runningCount;
    private long steps;

    Scheduler(DeepSeekModel model, LatentKvCache cache, EngineConfig config, String name) {
        this.model = model;
        this.cache = cache;
        this.config = config;
        this.thread = new Thread(this::loop, "latentflow-scheduler-" + name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues works atomically, so they can share their first step. */
    synchronized void submit(List<? extends Work> works) {
        if (closed) {
            IllegalStateException e = new IllegalStateException("engine is closed");
            works.forEach(w -> w.fail(e));
            return;
        }
        waiting.addAll(works);
        notifyAll();
    }

    void failNextStep(RuntimeException error) {
        injectedFailure = error;
    }

    synchronized int waitingCount() {
        return waiting.size();
    }

    int runningCount() {
        return runningCount;
    }

    private void loop() {
        try {
            while (true) {
                synchronized (this) {
                    while (!closed && waiting.isEmpty() && running.isEmpty()) {
                        wait();
                    }
                    if (closed) {
                        break;
                    }
                    admit();
                }
                if (!running.isEmpty()) {
                    step();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            failAll(new IllegalStateException("engine closed before the request finished"));
        }
    }

    /** Moves waiting works into the batch while there is room. Caller holds the lock. */
    private void admit() {
        int prefillTokens = 0;
        while (!waiting.isEmpty() && running.size() < config.maxBatchSequences()) {
            Work w = waiting.peek();
            if (!cache.canEverFit(w.cacheTokens())) {
                waiting.poll();
                w.fail(new IllegalArgumentException("request " + w.id + " needs " + w.cacheTokens()
                        + " cache positions (" + w.cacheTokens() * cache.bytesPerToken()
                        + " bytes), more than the whole latent cache budget of " + cache.budgetBytes() + " bytes"));
                continue;
            }
            if (w.future.isDone()) { // cancelled while waiting
                waiting.poll();
                continue;
            }
            if (prefillTokens > 0 && prefillTokens + w.prompt.length > config.maxBatchPromptTokens()) {
                break;
            }
            if (!w.tryAdmit(cache)) {
                break; // wait for running sequences to free the cache
            }
            waiting.poll();
            w.admittedNanos = System.nanoTime();
            w.batchId = steps;
            running.add(w);
            prefillTokens += w.prompt.length;
        }
        runningCount = running.size();
    }

    private void step() {
        List<Chunk> chunks = new ArrayList<>();
        int[] firstRow = new int[running.size()];
        int rows = 0;
        for (int i = 0; i < running.size(); i++) {
            firstRow[i] = rows;
            for (Chunk c : running.get(i).nextChunks()) {
                chunks.add(c);
                rows += c.logitRows();
            }
        }
        steps++;
        float[] logits;
        try {
            RuntimeException injected = injectedFailure;
            if (injected != null) {
                injectedFailure = null;
                throw injected;
            }
            logits = model.forward(chunks, config.mlaMode());
        } catch (RuntimeException | Error e) {
            LOG.error("forward step {} over {} requests failed; failing them", steps, running.size(), e);
            failRunning(e);
            return;
        }
        int vocab = model.config().vocabSize();
        long stepEnd = System.nanoTime();
        for (int i = 0; i < running.size(); i++) {
            Work w = running.get(i);
            if (w.firstOutputNanos == 0) {
                w.firstOutputNanos = stepEnd;
            }
            try {
                w.accept(logits, firstRow[i], vocab);
            } catch (RuntimeException e) {
                w.fail(e);
            }
        }
        running.removeIf(w -> {
            if (w.isDone()) {
                w.release();
                return true;
            }
            return false;
        });
        runningCount = running.size();
    }

    private void failRunning(Throwable t) {
        for (Work w : running) {
            w.fail(t);
        }
        running.clear();
        runningCount = 0;
    }

    private void failAll(Throwable t) {
        failRunning(t);
        synchronized (this) {
            for (Work w : waiting) {
                w.fail(t);
            }
            waiting.clear();
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
