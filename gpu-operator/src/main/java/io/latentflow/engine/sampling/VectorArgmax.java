package io.latentflow.engine.sampling;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Greedy#argmax} in vectors, with the scalar loop's result: the maximum first (a NaN never
 * compares greater, so it never wins), then the first index holding it. A batch-32 decode step
 * sampled 32 rows of 32000 logits on one thread between forward passes: about 1.5 ms of a 60-80 ms
 * step with the scalar loop and a copy of each row.
 */
final class VectorArgmax {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private VectorArgmax() {
    }

    static int argmax(float[] a, int off, int n) {
        int bound = F.loopBound(n);
        FloatVector best = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < bound; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, a, off + i);
            best = best.blend(v, v.compare(VectorOperators.GT, best));
        }
        float max = best.reduceLanes(VectorOperators.MAX);
        for (int i = bound; i < n; i++) {
            if (a[off + i] > max) {
                max = a[off + i];
            }
        }
        // the first position equal to max; none when every logit is NaN (max stays -inf and
        // NaN == -inf is false), which the scalar loop answers with 0
        for (int i = 0; i < bound; i += F.length()) {
            VectorMask<Float> eq = FloatVector.fromArray(F, a, off + i).compare(VectorOperators.EQ, max);
            if (eq.anyTrue()) {
                return i + eq.firstTrue();
            }
        }
        for (int i = bound; i < n; i++) {
            if (a[off + i] == max) {
                return i;
            }
        }
        return 0;
    }
}
