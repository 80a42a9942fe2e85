package io.latentflow.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.latentflow.engine.checkpoint.ModelConfig;
import io.latentflow.engine.checkpoint.ModelConfigParser;
import io.latentflow.engine.golden.GoldenCases;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The cos/sin table of {@link Rope} rotates exactly as computing the angle at each call would. */
class RopeTest {

    @Test
    void tableRotatesLikeTheDirectFormulaAtAnyPositionInAnyOrder() {
        // tiny-v3: YaRN scaling, so the table also carries the magnitude scale
        ModelConfig c = ModelConfigParser.parse(GoldenCases.dir("tiny-v3").resolve("config.json"));
        Rope rope = new Rope(c);
        int dim = c.qkRopeHeadDim();
        Random rnd = new Random(7);
        // jumps past the first table size, back into it, and far beyond the doubled size
        for (int pos : new int[] {0, 5, 63, 64, 65, 3, 1000, 129, 70_000, 999}) {
            float[] x = new float[dim + 3];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rnd.nextGaussian();
            }
            float[] expected = direct(c, rope, x, 3, pos);
            rope.apply(x, 3, pos);
            assertArrayEquals(expected, x, "position " + pos);
        }
    }

    /** The rotation of x[off, off + dim) at pos from cos/sin of pos · invFreq, as Hugging Face computes it. */
    private static float[] direct(ModelConfig c, Rope rope, float[] x, int off, int pos) {
        float[] out = x.clone();
        int half = c.qkRopeHeadDim() / 2;
        for (int i = 0; i < half; i++) {
            double angle = pos * rope.invFreq(i);
            double cos = Math.cos(angle) * rope.magnitude();
            double sin = Math.sin(angle) * rope.magnitude();
            int a = c.ropeInterleave() ? off + 2 * i : off + i;
            int b = c.ropeInterleave() ? a + 1 : a + half;
            out[a] = (float) (x[a] * cos - x[b] * sin);
            out[b] = (float) (x[b] * cos + x[a] * sin);
        }
        return out;
    }
}
