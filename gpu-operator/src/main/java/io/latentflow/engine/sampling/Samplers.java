package io.latentflow.engine.sampling;

/** Placeholder until the samplers land: greedy only. */
public final class Samplers {
    private Samplers() {
    }

    public static Sampler of(double temperature, int topK, double topP, long seed) {
        return (logits, n) -> {
            int best = 0;
            for (int i = 1; i < n; i++) {
                if (logits[i] > logits[best]) {
                    best = i;
                }
            }
            return best;
        };
    }
}
