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
