package io.latentflow.engine.ops;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A parallel-for over rows on a dedicated pool of daemon threads named {@code latentflow-ops-N}.
 * No common ForkJoinPool and no parallel streams: this runs inside Flink task managers, where the
 * shared pools belong to someone else.
 *
 * <p>{@link #forRows} splits [0, rows) into at most {@code threads} chunks (multiples of
 * {@code align} rows), hands all but the first to the pool, runs the first on the calling thread and
 * waits for the rest. Small work runs entirely on the calling thread.
 */
final class ParallelRows implements AutoCloseable {
    /** Below this many multiply-adds a call is not worth a hand-off to another thread. */
    static final long MIN_PARALLEL_WORK = 1L << 16;

    private static final AtomicInteger THREAD_IDS = new AtomicInteger();

    /** The loop body for rows [start, end). */
    @FunctionalInterface
    interface Body {
        void run(int start, int end);
    }

    private final int threads;
    /** Null when threads == 1: the calling thread does all the work. */
    private final ExecutorService pool;

    ParallelRows(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1: " + threads);
        }
        this.threads = threads;
        if (threads == 1) {
            this.pool = null;
        } else {
            ThreadFactory factory = r -> {
                Thread t = new Thread(r, "latentflow-ops-" + THREAD_IDS.getAndIncrement());
                t.setDaemon(true);
                return t;
            };
            this.pool = Executors.newFixedThreadPool(threads, factory);
        }
    }

    int threads() {
        return threads;
    }

    /**
     * Runs {@code body} over [0, rows) split into chunks aligned to {@code align} rows.
     *
     * @param work an estimate of the multiply-adds; below {@link #MIN_PARALLEL_WORK} it runs inline
     */
    void forRows(int rows, int align, long work, Body body) {
        if (rows <= 0) {
            return;
        }
        int tiles = (rows + align - 1) / align;
        int parts = (pool == null || work < MIN_PARALLEL_WORK) ? 1 : Math.min(threads, tiles);
        if (parts <= 1) {
            body.run(0, rows);
            return;
        }
        int chunk = ((tiles + parts - 1) / parts) * align;
        Future<?>[] futures = new Future<?>[parts - 1];
        Throwable failure = null;
        try {
            for (int i = 1; i < parts; i++) {
                int start = i * chunk;
                int end = Math.min(rows, start + chunk);
                if (start < end) {
                    futures[i - 1] = pool.submit(() -> body.run(start, end));
                }
            }
            body.run(0, Math.min(rows, chunk));
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        // always wait for the other chunks, so nothing still writes into y after we return
        boolean interrupted = false;
        for (Future<?> f : futures) {
            if (f == null) {
                continue;
            }
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause();
                    }
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure instanceof RuntimeException) {
            throw (RuntimeException) failure;
        }
        if (failure instanceof Error) {
            throw (Error) failure;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    /** Stops the worker threads and waits briefly for them to end. */
    @Override
    public void close() {
        if (pool == null) {
            return;
        }
        pool.shutdown();
        try {
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
