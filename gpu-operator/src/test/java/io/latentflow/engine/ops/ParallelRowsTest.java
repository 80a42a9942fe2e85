package io.latentflow.engine.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ParallelRowsTest {
    @Test
    void everyRowRunsExactlyOnceInAlignedChunks() {
        try (ParallelRows pool = new ParallelRows(3)) {
            for (int rows : new int[] {1, 5, 63, 64, 1000, 4097}) {
                for (int align : new int[] {1, 4, 7}) {
                    for (long work : new long[] {0, ParallelRows.MIN_PARALLEL_WORK, Long.MAX_VALUE}) {
                        AtomicIntegerArray seen = new AtomicIntegerArray(rows);
                        pool.forRows(rows, align, work, (start, end) -> {
                            assertEquals(0, start % align, "chunk start " + start);
                            assertTrue(end == rows || end % align == 0, "chunk end " + end);
                            for (int r = start; r < end; r++) {
                                seen.incrementAndGet(r);
                            }
                        });
                        for (int r = 0; r < rows; r++) {
                            assertEquals(1, seen.get(r), "row " + r + " of " + rows + ", align " + align + ", work " + work);
                        }
                    }
                }
            }
        }
    }

    /** Claimed units: every row once, and a thread that is held up takes fewer of them. */
    @Test
    void claimedUnitsCoverEveryRowOnceAndGoToTheFreeThread() {
        try (ParallelRows pool = new ParallelRows(2)) {
            for (int rows : new int[] {1, 7, 64, 1001}) {
                for (int grain : new int[] {1, 4, 16}) {
                    AtomicIntegerArray seen = new AtomicIntegerArray(rows);
                    pool.forClaimed(rows, grain, Long.MAX_VALUE, (start, end) -> {
                        assertEquals(0, start % grain, "unit start " + start);
                        assertEquals(Math.min(rows, start + grain), end, "unit end");
                        for (int r = start; r < end; r++) {
                            seen.incrementAndGet(r);
                        }
                    });
                    for (int r = 0; r < rows; r++) {
                        assertEquals(1, seen.get(r), "row " + r + " of " + rows + ", grain " + grain);
                    }
                }
            }
            // inline (work too small to hand off): one call over all rows
            AtomicInteger calls = new AtomicInteger();
            pool.forClaimed(100, 8, 0, (start, end) -> {
                calls.incrementAndGet();
                assertEquals(0, start);
                assertEquals(100, end);
            });
            assertEquals(1, calls.get());
            Thread caller = Thread.currentThread();
            AtomicInteger byCaller = new AtomicInteger();
            pool.forClaimed(40, 1, Long.MAX_VALUE, (start, end) -> {
                if (Thread.currentThread() == caller) {
                    byCaller.incrementAndGet();
                    sleep(20);
                }
            });
            // an even split would give the caller 20 units; it takes one in 20 ms while the worker runs the rest
            assertTrue(byCaller.get() <= 5, "units run by the held-up caller: " + byCaller.get());
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A chunk that throws, on the calling thread (rows from 0) or on the worker (rows from 8). */
    @Test
    void aFailingChunkFailsTheCallAfterTheOthersEndAndThePoolGoesOn() {
        try (ParallelRows pool = new ParallelRows(2)) {
            for (int failing : new int[] {0, 8}) {
                IllegalStateException boom = new IllegalStateException("boom");
                AtomicInteger finished = new AtomicInteger();
                RuntimeException thrown = assertThrows(RuntimeException.class, () -> pool.forRows(16, 1,
                        Long.MAX_VALUE, (start, end) -> {
                            if (start == failing) {
                                throw boom;
                            }
                            finished.addAndGet(end - start);
                        }));
                assertSame(boom, thrown);
                assertEquals(8, finished.get(), "the other chunk ran to its end before the call returned");
                AtomicInteger rows = new AtomicInteger();
                pool.forRows(16, 1, Long.MAX_VALUE, (start, end) -> rows.addAndGet(end - start));
                assertEquals(16, rows.get());
            }
        }
    }
}
