package io.latentflow.engine.ops;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A parallel-for over rows on dedicated daemon threads named {@code latentflow-ops-N}. No common
 * ForkJoinPool and no parallel streams: this runs inside Flink task managers, where the shared pools
 * belong to someone else.
 *
 * <p>{@link #forRows} splits [0, rows) into at most {@code threads} chunks (multiples of
 * {@code align} rows), posts all but the first to the workers, runs the first on the calling thread
 * and waits for the rest; {@link #forClaimed} lets each thread claim the next unit instead. A
 * decode step makes a few hundred calls of 50–500 µs each, so the hand-off must cost about a
 * microsecond, not the tens of an executor's queue and futures: workers spin on a
 * volatile sequence number for {@link #SPIN_NANOS} after their last task, then park. Small work, a
 * call from inside a running body, or a second concurrent caller runs entirely on the calling thread.
 */
final class ParallelRows implements AutoCloseable {
    /** Below this many multiply-adds a call is not worth a hand-off to another thread. */
    static final long MIN_PARALLEL_WORK = 1L << 15;
    /**
     * How long an idle worker waits (yielding) before parking: longer than the gaps inside and
     * between forward steps. A parked worker's virtual CPU halts, and on a shared host waking it
     * again took from tens of µs to over 0.5 ms: with 200 µs here the first matmul after the MoE
     * phase (q_a_proj, batch 1) ran 58-114 µs instead of 40 on a busy host. While decoding, the
     * workers now never park; an idle engine stops yielding after this long.
     */
    static final long SPIN_NANOS = TimeUnit.MILLISECONDS.toNanos(3);
    /**
     * Busy-spin this long, then yield while waiting: on a machine shared with other work a pure spin
     * burns the time slice the thread we wait for needs (measured several times slower under load).
     */
    static final long BUSY_NANOS = TimeUnit.MICROSECONDS.toNanos(20);

    private static final AtomicInteger THREAD_IDS = new AtomicInteger();

    /** The loop body for rows [start, end). */
    @FunctionalInterface
    interface Body {
        void run(int start, int end);
    }

    private final int threads;
    private final Worker[] workers; // threads - 1
    /** One caller at a time posts to the workers; others (and nested calls) run inline. */
    private final AtomicBoolean posting = new AtomicBoolean();
    private volatile boolean closed;

    ParallelRows(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1: " + threads);
        }
        this.threads = threads;
        this.workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker("latentflow-ops-" + THREAD_IDS.getAndIncrement());
            workers[i].start();
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
        int parts = (workers.length == 0 || work < MIN_PARALLEL_WORK) ? 1 : Math.min(threads, tiles);
        // inline: small work, or a call from inside a running body (on a worker, or on the poster
        // while it holds posting), or a second caller
        if (parts <= 1 || Thread.currentThread() instanceof Worker || !posting.compareAndSet(false, true)) {
            body.run(0, rows);
            return;
        }
        try {
            int chunk = ((tiles + parts - 1) / parts) * align;
            int posted = 0;
            for (int i = 1; i < parts; i++) {
                int start = i * chunk;
                int end = Math.min(rows, start + chunk);
                if (start < end) {
                    workers[posted++].post(body, start, end);
                }
            }
            Throwable failure = null;
            try {
                body.run(0, Math.min(rows, chunk));
            } catch (RuntimeException | Error e) {
                failure = e;
            }
            // always wait for the other chunks, so nothing still writes into y after we return
            for (int i = 0; i < posted; i++) {
                Throwable t = workers[i].await();
                if (failure == null) {
                    failure = t;
                }
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
        } finally {
            posting.set(false);
        }
    }

    /**
     * Runs {@code body} over [0, rows) in units of {@code grain} rows that every thread claims one at
     * a time until none is left, so that a thread on a faster core takes more of them. The two
     * virtual CPUs of a shared host do not run at the same speed: over a float32 GEMM one thread
     * of {@link #forRows}'s even halves waited for the other 13–24% of the time. Worth it where a
     * unit costs far more than a claim (an atomic increment) and the units need no per-call setup.
     * A call that runs inline ({@link #forRows}) runs all rows as one unit.
     */
    void forClaimed(int rows, int grain, long work, Body body) {
        int units = (rows + grain - 1) / grain;
        int parts = Math.min(threads, units);
        AtomicInteger next = new AtomicInteger();
        forRows(parts, 1, work, (a, b) -> {
            if (b - a == parts) { // inline: the one thread there is
                body.run(0, rows);
                return;
            }
            for (int u; (u = next.getAndIncrement()) < units; ) {
                body.run(u * grain, Math.min(rows, (u + 1) * grain));
            }
        });
    }

    /** Stops the worker threads and waits briefly for them to end. */
    @Override
    public void close() {
        closed = true;
        for (Worker w : workers) {
            LockSupport.unpark(w);
        }
        for (Worker w : workers) {
            try {
                w.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One worker: runs the task of each new {@code posted} number, then sets {@code done} to it. */
    private final class Worker extends Thread {
        private Body body;
        private int start;
        private int end;
        private Throwable failure;
        private volatile long posted;
        private volatile long done;
        private volatile boolean parked;

        Worker(String name) {
            super(name);
            setDaemon(true);
        }

        /** Called by the posting thread only; the volatile write of posted publishes the fields. */
        void post(Body b, int s, int e) {
            body = b;
            start = s;
            end = e;
            failure = null;
            posted = posted + 1;
            if (parked) {
                LockSupport.unpark(this);
            }
        }

        /** Waits for the last posted task; returns what it threw, or null. */
        Throwable await() {
            long want = posted;
            long t0 = System.nanoTime();
            while (done != want) {
                if (System.nanoTime() - t0 < BUSY_NANOS) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
            Throwable t = failure;
            body = null;
            return t;
        }

        @Override
        public void run() {
            long seen = 0;
            while (!closed) {
                long idleSince = System.nanoTime();
                long p;
                while ((p = posted) == seen && !closed) {
                    long idle = System.nanoTime() - idleSince;
                    if (idle < BUSY_NANOS) {
                        Thread.onSpinWait();
                    } else if (idle < SPIN_NANOS) {
                        Thread.yield();
                    } else {
                        parked = true;
                        if (posted == seen && !closed) {
                            LockSupport.park(this);
                        }
                        parked = false;
                    }
                }
                if (closed) {
                    break;
                }
                try {
                    body.run(start, end);
                } catch (Throwable t) {
                    failure = t;
                }
                seen = p;
                done = p;
            }
        }
    }
}
