package io.latentflow.engine.sampling;

import io.latentflow.engine.SamplingParams;
import java.util.SplittableRandom;

/** Builds the sampler a request asks for; the seed makes each request's draws reproducible. */
public final class Samplers {
    private Samplers() {
    }

    /** Greedy when temperature is 0, otherwise temperature/top-k/top-p sampling seeded with seed. */
    public static Sampler of(double temperature, int topK, double topP, long seed) {
        if (temperature == 0) {
            return Greedy.INSTANCE;
        }
        return new Stochastic(temperature, topK, topP, new SplittableRandom(seed));
    }

    /** The sampler of a request's sampling parameters. */
    public static Sampler of(SamplingParams params) {
        return of(params.temperature(), params.topK(), params.topP(), params.seed());
    }
}
