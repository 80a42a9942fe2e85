package io.latentflow.engine.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class HardwareLimitsTest {
    @Test
    void onlyGapsLongerThanTheThresholdCountAsStalled() {
        assertEquals(0, HardwareLimits.stalledNanos(1_000, 1_000 + HardwareLimits.STALL_GAP_NANOS));
        assertEquals(HardwareLimits.STALL_GAP_NANOS + 1,
                HardwareLimits.stalledNanos(1_000, 1_001 + HardwareLimits.STALL_GAP_NANOS));
    }

    @Test
    @Timeout(30)
    void stallShareSeesTheTimeOtherThreadsTakeFromTheCores() throws InterruptedException {
        int cores = Runtime.getRuntime().availableProcessors();
        // a test JVM is not quiet (compilations, other tests' idle workers): only a fraction here
        double quiet = HardwareLimits.stallShare(cores, 200);
        assertTrue(quiet >= 0 && quiet < 1, "stall share: " + quiet);

        // as many spinning threads again as cores: each measuring thread runs about half the time
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> hogs = new ArrayList<>();
        for (int i = 0; i < cores; i++) {
            Thread t = new Thread(() -> {
                while (!stop.get()) {
                    Thread.onSpinWait();
                }
            });
            t.setDaemon(true);
            t.start();
            hogs.add(t);
        }
        try {
            double busy = HardwareLimits.stallShare(cores, 500);
            assertTrue(busy > 0.2 && busy < 1, "stall share with a spinning thread per core: " + busy);
        } finally {
            stop.set(true);
            for (Thread t : hogs) {
                t.join();
            }
        }
    }
}
