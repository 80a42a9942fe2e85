package io.latentflow.engine.model;

import io.latentflow.engine.checkpoint.ModelConfig;

/**
 * Chooses each token's routed experts and their weights from the gate logits: V2 softmax with
 * greedy or group-limited top-k, V3 sigmoid with a selection-only correction bias and
 * group-limited top-k over the sum of each group's best two scores. Not thread-safe (scratch).
 */
final class Router {
    private final int experts;
    private final int topK;
    private final int groups;
    private final int keepGroups;
    private final boolean sigmoid;
    private final String method;
    private final boolean normalise;
    private final double scaling;
    private final float[] correctionBias; // (experts) or null
    private final double[] score;         // (experts) weights come from these
    private final double[] choice;        // (experts) selection uses these
    private final double[] groupScore;    // (groups)
    private final boolean[] groupKept;    // (groups)

    Router(ModelConfig c, float[] correctionBias) {
        this.experts = c.nRoutedExperts();
        this.topK = c.numExpertsPerTok();
        this.groups = c.nGroup();
        this.keepGroups = c.topkGroup();
        this.sigmoid = "sigmoid".equals(c.scoringFunc());
        this.method = c.topkMethod();
        this.normalise = c.normTopkProb();
        this.scaling = c.routedScalingFactor();
        this.correctionBias = correctionBias;
        this.score = new double[experts];
        this.choice = new double[experts];
        this.groupScore = new double[groups];
        this.groupKept = new boolean[groups];
        if (topK > experts / groups * keepGroups && !"greedy".equals(method)) {
            throw new IllegalArgumentException("num_experts_per_tok " + topK + " exceeds the "
                    + experts / groups * keepGroups + " experts of the topk_group " + keepGroups + " groups kept");
        }
    }

    int topK() {
        return topK;
    }

    /** Routes one token: logits[off .. off + experts) → experts idx[o .. o + k) with weights w[o .. o + k). */
    void route(float[] logits, int off, int[] idx, float[] w, int o) {
        // scores
        if (sigmoid) {
            for (int e = 0; e < experts; e++) {
                score[e] = 1.0 / (1.0 + Math.exp(-logits[off + e]));
            }
        } else {
            double max = Double.NEGATIVE_INFINITY;
            for (int e = 0; e < experts; e++) {
                max = Math.max(max, logits[off + e]);
            }
            double sum = 0;
            for (int e = 0; e < experts; e++) {
                score[e] = Math.exp(logits[off + e] - max);
                sum += score[e];
            }
            for (int e = 0; e < experts; e++) {
                score[e] /= sum;
            }
        }
        for (int e = 0; e < experts; e++) {
            choice[e] = score[e] + (correctionBias != null ? correctionBias[e] : 0);
        }
        // group limit: keep the topk_group best groups, drop the others' experts from the choice
        if (!"greedy".equals(method) && groups > 1) {
            int perGroup = experts / groups;
            for (int g = 0; g < groups; g++) {
                groupScore[g] = "noaux_tc".equals(method)
                        ? sumOfBestTwo(g * perGroup, perGroup)
                        : max(g * perGroup, perGroup);
                groupKept[g] = false;
            }
            for (int k = 0; k < keepGroups; k++) {
                int best = -1;
                for (int g = 0; g < groups; g++) {
                    if (!groupKept[g] && (best < 0 || groupScore[g] > groupScore[best])) {
                        best = g;
                    }
                }
                groupKept[best] = true;
            }
            for (int e = 0; e < experts; e++) {
                if (!groupKept[e / perGroup]) {
                    choice[e] = Double.NEGATIVE_INFINITY;
                }
            }
        }
        // top-k by choice, lowest index first on ties
        double sum = 0;
        for (int k = 0; k < topK; k++) {
            int best = -1;
            for (int e = 0; e < experts; e++) {
                if (choice[e] != Double.NEGATIVE_INFINITY && !taken(idx, o, k, e)
                        && (best < 0 || choice[e] > choice[best])) {
                    best = e;
                }
            }
            idx[o + k] = best;
            sum += score[best];
        }
        // weights from the unbiased scores
        for (int k = 0; k < topK; k++) {
            double weight = score[idx[o + k]];
            if (normalise) {
                weight /= sum + 1e-20;
            }
            w[o + k] = (float) (weight * scaling);
        }
    }

    private static boolean taken(int[] idx, int o, int k, int e) {
        for (int j = 0; j < k; j++) {
            if (idx[o + j] == e) {
                return true;
            }
        }
        return false;
    }

    private double max(int from, int n) {
        double m = Double.NEGATIVE_INFINITY;
        for (int e = from; e < from + n; e++) {
            m = Math.max(m, choice[e]);
        }
        return m;
    }

    private double sumOfBestTwo(int from, int n) {
        double first = Double.NEGATIVE_INFINITY;
        double second = Double.NEGATIVE_INFINITY;
        for (int e = from; e < from + n; e++) {
            double v = choice[e];
            if (v > first) {
                second = first;
                first = v;
            } else if (v > second) {
                second = v;
            }
        }
        return n == 1 ? first : first + second;
    }
}
