package io.latentflow.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** classify = softmax over labels of Σ per-token log-probabilities of the label after the prompt. */
class ClassifyTest {

    @Test
    void distributionIsSoftmaxOfSummedTokenLogProbabilities() {
        int[] prompt = {12, 40, 7, 99, 3};
        List<int[]> labels = List.of(new int[] {17}, new int[] {200, 31, 4}, new int[] {5, 6}, new int[] {200, 30});
        try (Engine engine = Engine.open(TestModels.golden("tiny-v3"))) {
            InferenceResult.Classified r = (InferenceResult.Classified) engine.submit(new InferenceRequest.Classify(
                    "c1", Prompt.ofTokens(prompt), labels.stream().map(Prompt::ofTokens).toList())).join();

            double[] expected = new double[labels.size()];
            for (int i = 0; i < labels.size(); i++) {
                int[] label = labels.get(i);
                int[] full = IntStream.concat(IntStream.of(prompt), IntStream.of(label)).toArray();
                float[][] logits = engine.promptLogits(full);
                for (int j = 0; j < label.length; j++) {
                    expected[i] += logProb(logits[prompt.length - 1 + j], label[j]);
                }
            }
            double max = java.util.Arrays.stream(expected).max().orElseThrow();
            double z = java.util.Arrays.stream(expected).map(v -> Math.exp(v - max)).sum();
            double total = 0;
            int best = 0;
            for (int i = 0; i < labels.size(); i++) {
                assertEquals(expected[i], r.logLikelihoods()[i], 1e-3, "log-likelihood of label " + i);
                assertEquals(Math.exp(expected[i] - max) / z, r.probabilities()[i], 1e-4, "probability of label " + i);
                total += r.probabilities()[i];
                best = expected[i] > expected[best] ? i : best;
            }
            assertEquals(1.0, total, 1e-9);
            assertEquals(r.labels().get(best), r.label());
            assertEquals("200,31,4", r.labels().get(1));
            assertEquals(prompt.length, r.stats().promptTokens());
            assertEquals(1 + 3 + 2 + 2, r.stats().generatedTokens(), "label tokens scored");
        }
    }

    @Test
    void classifiesTextLabelsWithTheModelsTokenizer(@TempDir Path dir) {
        try (Engine engine = Engine.open(TestModels.tinyWithTokenizer(dir))) {
            List<String> names = List.of("delayed", "on time", "lost in transit");
            InferenceResult.Classified r = (InferenceResult.Classified) engine.submit(new InferenceRequest.Classify(
                    "c2", Prompt.ofText("Shipment 42 from Shanghai to Rotterdam is"),
                    names.stream().map(Prompt::ofText).toList())).join();
            assertEquals(names, r.labels());
            assertTrue(names.contains(r.label()));
            assertEquals(1.0, java.util.Arrays.stream(r.probabilities()).sum(), 1e-9);
            int labelTokens = names.stream().mapToInt(n -> engine.tokenizer().orElseThrow().encodeContinuation(n).length)
                    .sum();
            assertEquals(labelTokens, r.stats().generatedTokens());
        }
    }

    private static double logProb(float[] logits, int token) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double s = 0;
        for (float l : logits) {
            s += Math.exp(l - max);
        }
        return logits[token] - max - Math.log(s);
    }
}
