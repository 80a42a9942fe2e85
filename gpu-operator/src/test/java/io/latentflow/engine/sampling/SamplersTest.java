package io.latentflow.engine.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SamplersTest {
    private static final float[] LOGITS = {0.5f, 2.0f, -1.0f, 1.5f, 1.9f, 0.0f, -3.0f, 1.0f};

    @Test
    void greedyIsArgmaxLowestIdOnTies() {
        assertEquals(1, Greedy.INSTANCE.sample(LOGITS, LOGITS.length));
        assertEquals(1, Greedy.INSTANCE.sample(new float[] {0, 3, 1, 3}, 4));
        assertEquals(0, Greedy.INSTANCE.sample(new float[] {2, 2, 2}, 3));
        assertEquals(0, Greedy.INSTANCE.sample(LOGITS, 1), "only the first n logits count");
        assertEquals(2, Greedy.INSTANCE.sample(new float[] {Float.NaN, 1, 5, Float.NaN}, 4));
    }

    @Test
    void vectorArgmaxAgreesWithTheScalarLoop() {
        SplittableRandom r = new SplittableRandom(17);
        float[] special = {Float.NaN, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, 0f, -0f, 1f};
        for (int trial = 0; trial < 3000; trial++) {
            int n = trial < 2000 ? 1 + r.nextInt(100) : 1 + r.nextInt(40_000);
            int off = r.nextInt(40);
            float[] a = new float[off + n + r.nextInt(20)];
            int kind = trial % 4; // random, few distinct values (ties), specials mixed in, all NaN or -inf
            for (int i = 0; i < a.length; i++) {
                a[i] = switch (kind) {
                    case 0 -> (float) r.nextGaussian();
                    case 1 -> r.nextInt(3);
                    case 2 -> r.nextInt(4) == 0 ? special[r.nextInt(special.length)] : (float) r.nextGaussian();
                    default -> r.nextBoolean() ? Float.NaN : Float.NEGATIVE_INFINITY;
                };
            }
            if (kind == 3 && r.nextBoolean()) {
                java.util.Arrays.fill(a, Float.NaN);
            }
            int want = Greedy.scalarArgmax(a, off, n);
            assertEquals(want, VectorArgmax.argmax(a, off, n), "n " + n + ", off " + off + ", kind " + kind);
            assertEquals(want, Greedy.argmax(a, off, n));
        }
        assertEquals(0, VectorArgmax.argmax(new float[] {-0f, 0f}, 0, 2), "-0 and 0 tie: the first wins");
    }

    @Test
    void samplesInPlaceAtAnOffset() {
        float[] rows = new float[3 * LOGITS.length];
        System.arraycopy(LOGITS, 0, rows, LOGITS.length, LOGITS.length); // row 1 of 3
        assertEquals(1, Greedy.INSTANCE.sample(rows, LOGITS.length, LOGITS.length));
        Sampler a = Samplers.of(0.7, 3, 0.9, 5);
        Sampler b = Samplers.of(0.7, 3, 0.9, 5);
        for (int i = 0; i < 200; i++) {
            assertEquals(a.sample(LOGITS, LOGITS.length), b.sample(rows, LOGITS.length, LOGITS.length));
        }
        assertThrows(IllegalArgumentException.class, () -> Greedy.INSTANCE.sample(rows, 2 * LOGITS.length + 1,
                LOGITS.length));
    }

    @Test
    void temperatureZeroIsGreedy() {
        assertSame(Greedy.INSTANCE, Samplers.of(0, 5, 0.9, 42));
    }

    @Test
    void sameSeedSameSequence() {
        Sampler a = Samplers.of(1.0, 0, 1.0, 7);
        Sampler b = Samplers.of(1.0, 0, 1.0, 7);
        Sampler c = Samplers.of(0.8, 4, 0.9, 7);
        Sampler d = Samplers.of(0.8, 4, 0.9, 7);
        int differentFromGreedy = 0;
        for (int i = 0; i < 500; i++) {
            int x = a.sample(LOGITS, LOGITS.length);
            assertEquals(x, b.sample(LOGITS, LOGITS.length));
            assertEquals(c.sample(LOGITS, LOGITS.length), d.sample(LOGITS, LOGITS.length));
            differentFromGreedy += x == 1 ? 0 : 1;
        }
        assertTrue(differentFromGreedy > 100, "temperature 1 actually samples: " + differentFromGreedy);
    }

    @Test
    void topKOneIsGreedy() {
        Sampler s = Samplers.of(5.0, 1, 1.0, 3);
        for (int i = 0; i < 200; i++) {
            assertEquals(1, s.sample(LOGITS, LOGITS.length));
        }
        Sampler ties = Samplers.of(1.0, 1, 1.0, 3);
        assertEquals(1, ties.sample(new float[] {0, 3, 1, 3}, 4), "top-1 keeps the lowest id of a tie");
    }

    @Test
    void tinyTopPIsArgmax() {
        Sampler s = Samplers.of(2.0, 0, 1e-6, 11);
        for (int i = 0; i < 200; i++) {
            assertEquals(1, s.sample(LOGITS, LOGITS.length));
        }
    }

    @Test
    void topKNeverLeavesTheTopK() {
        Sampler s = Samplers.of(3.0, 3, 1.0, 5);  // high temperature spreads mass over all 8
        int[] seen = new int[LOGITS.length];
        for (int i = 0; i < 2000; i++) {
            seen[s.sample(LOGITS, LOGITS.length)]++;
        }
        for (int id = 0; id < LOGITS.length; id++) {
            boolean top3 = id == 1 || id == 4 || id == 3;
            assertTrue(top3 ? seen[id] > 0 : seen[id] == 0, "token " + id + " drawn " + seen[id] + " times");
        }
    }

    @Test
    void topPKeepsTheSmallestNucleus() {
        // probabilities 0.5, 0.3, 0.2: p = 0.75 keeps the first two, never the third
        float[] logits = {(float) Math.log(0.5), (float) Math.log(0.3), (float) Math.log(0.2)};
        Sampler s = Samplers.of(1.0, 0, 0.75, 9);
        int[] seen = new int[3];
        for (int i = 0; i < 2000; i++) {
            seen[s.sample(logits, 3)]++;
        }
        assertEquals(0, seen[2]);
        assertEquals(0.625, seen[0] / 2000.0, 0.04);
    }

    @Test
    void frequenciesMatchTheSoftmax() {
        double[] p = {0.6, 0.3, 0.1};
        float[] logits = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            logits[i] = (float) Math.log(p[i]) + 4;  // shift-invariant
        }
        Sampler s = new Stochastic(1.0, 0, 1.0, new SplittableRandom(123));
        int draws = 20_000;
        int[] seen = new int[p.length];
        for (int i = 0; i < draws; i++) {
            seen[s.sample(logits, p.length)]++;
        }
        for (int i = 0; i < p.length; i++) {
            assertEquals(p[i], seen[i] / (double) draws, 0.02, "token " + i);
        }
    }

    @Test
    void maskedLogitsAreNeverDrawn() {
        float[] logits = {Float.NEGATIVE_INFINITY, 0, Float.NEGATIVE_INFINITY, 0};
        Sampler s = Samplers.of(1.0, 0, 0.9, 1);
        for (int i = 0; i < 500; i++) {
            int id = s.sample(logits, 4);
            assertTrue(id == 1 || id == 3, "drew " + id);
        }
    }

    @Test
    void rejectsBadParameters() {
        SplittableRandom r = new SplittableRandom(1);
        assertThrows(IllegalArgumentException.class, () -> new Stochastic(-1, 0, 1, r));
        assertThrows(IllegalArgumentException.class, () -> new Stochastic(1, -1, 1, r));
        assertThrows(IllegalArgumentException.class, () -> new Stochastic(1, 0, 0, r));
        assertThrows(IllegalArgumentException.class, () -> Greedy.INSTANCE.sample(LOGITS, 0));
    }
}
