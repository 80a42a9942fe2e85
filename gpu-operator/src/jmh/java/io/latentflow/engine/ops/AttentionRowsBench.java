package io.latentflow.engine.ops;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Absorbed MLA decode over one sequence's latent cache, as one group of heads does it: scores of the
 * group's queries against every cached row ({@link Ops#rowProducts}), then the weighted sum of the
 * latents ({@link Ops#addWeightedRows}). Rows of 288 floats (kv_lora 256 + rope 32, the small preset).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class AttentionRowsBench {
    private static final int WIDTH = 288;
    private static final int LATENT = 256;

    @Param({"128", "1024"})
    public int positions;

    @Param({"4"})
    public int heads;

    private VectorOps ops;
    private float[] cache;
    private float[] query;
    private float[] scores;
    private float[] out;

    @Setup(Level.Trial)
    public void setup() {
        Random rnd = new Random(1);
        cache = new float[positions * WIDTH];
        for (int i = 0; i < cache.length; i++) {
            cache[i] = (float) rnd.nextGaussian();
        }
        query = new float[heads * WIDTH];
        for (int i = 0; i < query.length; i++) {
            query[i] = (float) rnd.nextGaussian();
        }
        scores = new float[heads * positions];
        out = new float[heads * LATENT];
        ops = new VectorOps(1);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ops.close();
    }

    @Benchmark
    public float[] scoresThenWeightedSum() {
        ops.rowProducts(cache, 0, WIDTH, positions, WIDTH, query, 0, WIDTH, scores, 0, positions, heads);
        ops.addWeightedRows(scores, 0, positions, cache, 0, WIDTH, positions, LATENT, out, 0, LATENT, heads);
        return out;
    }
}
