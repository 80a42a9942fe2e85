package io.latentflow.flink.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.junit.jupiter.api.Test;

/** The job restarts with exponential delay: 2 s doubling to 1 min, 10 in a row, reset after 10 quiet minutes. */
class RestartStrategyTest {

    @Test
    void defaultsAndOverrides() {
        Configuration c = LatentFlowJob.restartStrategy(new Configuration());
        assertEquals("exponential-delay", c.get(RestartStrategyOptions.RESTART_STRATEGY));
        assertEquals(Duration.ofSeconds(2), c.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF));
        assertEquals(Duration.ofMinutes(1), c.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF));
        assertEquals(10, c.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS));
        assertEquals(Duration.ofMinutes(10),
                c.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD));

        Configuration options = LatentFlowJob.parseArgs(new String[] {"--restart-delay", "500ms",
            "--restart-max-delay", "20s", "--restart-attempts", "3"});
        Configuration custom = LatentFlowJob.restartStrategy(options);
        assertEquals(Duration.ofMillis(500), custom.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF));
        assertEquals(Duration.ofSeconds(20), custom.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF));
        assertEquals(3, custom.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS));
    }

    @Test
    void zeroAttemptsMeansNoRestarts() {
        Configuration options = new Configuration();
        options.set(LatentFlowOptions.RESTART_ATTEMPTS, 0);
        assertEquals("none", LatentFlowJob.restartStrategy(options).get(RestartStrategyOptions.RESTART_STRATEGY));
    }
}
