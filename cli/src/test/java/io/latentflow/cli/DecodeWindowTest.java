package io.latentflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.latentflow.engine.InferenceResult;
import io.latentflow.engine.RequestStats;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decode window of a bench run, from the requests' own timings. */
class DecodeWindowTest {

    private static InferenceResult.Generated result(int tokens, long queue, long compute, long firstOutput,
                                                    long admittedInStep) {
        return new InferenceResult.Generated("r", new int[tokens], null, "length",
                new RequestStats(4, tokens, queue, compute, firstOutput, admittedInStep));
    }

    @Test
    void startsWhenTheLastAdmittedRequestHasItsFirstTokenAndCountsOnlyLaterTokens() {
        // admitted in step 0, first token at 100, done at 1000; admitted in step 2, first token at 400,
        // done at 1300 (its queue time 50 counted from the shared submit)
        BenchEngineCommand.DecodeWindow w = BenchEngineCommand.DecodeWindow.of(List.of(
                result(6, 0, 1000, 100, 0),
                result(6, 50, 1250, 350, 2)));
        assertEquals(1300 - 400, w.nanos());
        assertEquals((6 - 1 - 2) + (6 - 1), w.tokens()); // the first made 2 of its 5 before the window
        assertEquals(5, w.steps());
    }

    @Test
    void aRequestDoneBeforeTheWindowAddsNothing() {
        BenchEngineCommand.DecodeWindow w = BenchEngineCommand.DecodeWindow.of(List.of(
                result(2, 0, 300, 100, 0),
                result(3, 0, 900, 600, 5)));
        assertEquals(900 - 600, w.nanos());
        assertEquals(2, w.tokens());
    }
}
