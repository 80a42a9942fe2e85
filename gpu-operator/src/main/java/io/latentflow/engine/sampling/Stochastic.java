package io.latentflow.engine.sampling;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Temperature sampling with top-k and nucleus (top-p) filtering: softmax of logits / temperature, keep the
 * k most likely tokens (0 = all), then the smallest most-likely prefix whose probability reaches p,
 * renormalise and draw. Ties in probability are ordered by lower id, so a seeded generator gives the same
 * tokens every run. Scratch arrays grow once and are reused, so steady-state sampling does not allocate;
 * an instance is therefore not thread-safe.
 */
public final class Stochastic implements Sampler {
    private final double temperature;
    private final int topK;
    private final double topP;
    private final RandomGenerator rng;
    private double[] probs = new double[0];
    private long[] keys = new long[0];

    public Stochastic(double temperature, int topK, double topP, RandomGenerator rng) {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be > 0 and finite, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top_k must be >= 0, got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top_p must be in (0, 1], got " + topP);
        }
        this.temperature = temperature;
        this.topK = topK;
        this.topP = topP;
        this.rng = rng;
    }

    public double temperature() {
        return temperature;
    }

    public int topK() {
        return topK;
    }

    public double topP() {
        return topP;
    }

    @Override
    public int sample(float[] logits, int off, int n) {
        int argmax = Greedy.argmax(logits, off, n);
        float max = logits[off + argmax];
        if (Float.isInfinite(max)) {
            return argmax;  // all masked (-inf) or one certain (+inf): nothing to draw
        }
        if (probs.length < n) {
            probs = new double[n];
            keys = new long[n];
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            float v = logits[off + i];
            double p = v == v ? Math.exp((v - max) / temperature) : 0;  // NaN → 0
            probs[i] = p;
            total += p;
        }
        boolean filter = (topK > 0 && topK < n) || topP < 1;
        if (!filter) {
            return draw(n, total);
        }
        int kept = sortedCandidates(n);
        return drawNucleus(kept);
    }

    /** Draw from all n tokens in proportion to probs. */
    private int draw(int n, double total) {
        double u = rng.nextDouble() * total;
        int last = 0;
        for (int i = 0; i < n; i++) {
            if (probs[i] > 0) {
                last = i;
                u -= probs[i];
                if (u < 0) {
                    return i;
                }
            }
        }
        return last;
    }

    /**
     * Fills keys[0..count) with the candidates, most likely first, and returns count (≤ top-k). A key packs
     * the probability's float bits (monotone for non-negative floats) above the inverted id, so an ascending
     * primitive sort orders by probability then by lower id.
     */
    private int sortedCandidates(int n) {
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (probs[i] > 0) {
                keys[count++] = ((long) Float.floatToIntBits((float) probs[i]) << 32) | (~i & 0xFFFFFFFFL);
            }
        }
        Arrays.sort(keys, 0, count);
        int k = topK > 0 ? Math.min(topK, count) : count;
        for (int i = 0, j = count - 1; i < j; i++, j--) {  // descending
            long t = keys[i];
            keys[i] = keys[j];
            keys[j] = t;
        }
        return k;
    }

    /** Keep the top-p prefix of the first k sorted candidates (mass measured after top-k), then draw. */
    private int drawNucleus(int k) {
        double kMass = 0;
        for (int i = 0; i < k; i++) {
            kMass += probs[id(keys[i])];
        }
        double target = topP * kMass;
        double kept = 0;
        int size = 0;
        while (size < k) {
            kept += probs[id(keys[size++])];
            if (kept >= target) {
                break;
            }
        }
        double u = rng.nextDouble() * kept;
        for (int i = 0; i < size; i++) {
            u -= probs[id(keys[i])];
            if (u < 0) {
                return id(keys[i]);
            }
        }
        return id(keys[size - 1]);
    }

    private static int id(long key) {
        return ~(int) key;
    }
}
