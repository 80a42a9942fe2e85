package io.latentflow.engine.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** When a step with many tokens per expert runs whole experts side by side. */
class MoeFeedForwardTest {
    @Test
    void evenExpertsRunSideBySide() {
        long[] costs = {2048, 512, 512, 512, 512, 512, 512, 512, 512}; // shared, then 8 routed
        assertTrue(MoeFeedForward.claimsBalance(costs, costs.length, 2));
    }

    @Test
    void oneDominantExpertSplitsItsMatmuls() {
        long[] costs = {1000, 100, 100, 100};
        assertFalse(MoeFeedForward.claimsBalance(costs, costs.length, 2));
    }

    @Test
    void fewerEqualUnitsThanAnEvenSplitNeedsSplit() {
        long[] three = {300, 300, 300}; // two threads: 600 against an even 450
        assertFalse(MoeFeedForward.claimsBalance(three, 3, 2));
        long[] four = {300, 300, 300, 300};
        assertTrue(MoeFeedForward.claimsBalance(four, 4, 2));
    }

    @Test
    void onlyTheFirstNCostsCount() {
        long[] costs = {300, 300, 300, 300, 5000};
        assertTrue(MoeFeedForward.claimsBalance(costs, 4, 2));
        assertFalse(MoeFeedForward.claimsBalance(costs, 5, 2));
    }
}
