package io.latentflow.engine.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The reference checkpoints and logits of ../shared/golden (see its README). */
public final class GoldenCases {

    /** One prompt: its ids, the reference logits after each prefix, and the greedy continuation. */
    public record Case(int[] tokens, float[][] logits, int[] greedy) {
    }

    private GoldenCases() {
    }

    /** The golden folder: -Dlatentflow.golden, else shared/golden beside the repository. */
    public static Path root() {
        String prop = System.getProperty("latentflow.golden");
        if (prop != null) {
            return Path.of(prop);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("golden");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no shared/golden folder above " + Path.of("").toAbsolutePath()
                + "; set -Dlatentflow.golden");
    }

    /** Model folder names: tiny-v3, tiny-v2-lite, tiny-v2-grouped. */
    public static List<String> models() {
        try (Stream<Path> dirs = Files.list(root())) {
            return dirs.filter(d -> Files.exists(d.resolve("golden.json")))
                    .map(d -> d.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path dir(String model) {
        return root().resolve(model);
    }

    public static List<Case> cases(String model) {
        try {
            JsonNode root = new ObjectMapper().readTree(dir(model).resolve("golden.json").toFile());
            List<Case> out = new ArrayList<>();
            for (JsonNode c : root.get("cases")) {
                int[] tokens = ints(c.get("tokens"));
                float[][] logits = new float[c.get("logits").size()][];
                for (int i = 0; i < logits.length; i++) {
                    JsonNode row = c.get("logits").get(i);
                    logits[i] = new float[row.size()];
                    for (int j = 0; j < row.size(); j++) {
                        logits[i][j] = (float) row.get(j).asDouble();
                    }
                }
                out.add(new Case(tokens, logits, ints(c.get("greedy").get("tokens"))));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asInt();
        }
        return out;
    }

    /** max |a - b| over both arrays. */
    public static double maxAbsDiff(float[] a, int aOff, float[] b, int n) {
        double m = 0;
        for (int i = 0; i < n; i++) {
            m = Math.max(m, Math.abs(a[aOff + i] - b[i]));
        }
        return m;
    }
}
