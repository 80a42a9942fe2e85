package io.latentflow.engine.ops;

import io.latentflow.engine.tensor.DType;
import io.latentflow.engine.tensor.Weight;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
 * The Vector backend's matmul on packed panels (the hot path of every layer) and on the stored
 * row-major view (the fallback), by dtype, shape and batch. Average time per call; GFLOP/s is
 * 2·rows·cols·batch / time. The small preset's shapes: an expert (512×1024), q_b (768×384), the
 * dense down projection (1024×2816), lm_head (32000×1024); and 2048×2048 for the GEMM figure.
 * {@code -p int8=true} runs the int8 panels of the vector-int8 backend.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class KernelBench {
    @Param({"512x1024", "1024x2816", "32000x1024", "2048x2048"})
    public String shape;

    @Param({"BF16", "F32"})
    public DType dtype;

    @Param({"1", "8", "32", "128"})
    public int batch;

    @Param({"true"})
    public boolean packed;

    /** Quantise the packed weight to int8 panels (the vector-int8 backend). */
    @Param({"false"})
    public boolean int8;

    @Param({"2"})
    public int threads;

    private VectorOps ops;
    private Weight w;
    private float[] x;
    private float[] y;

    @Setup(Level.Trial)
    public void setup() {
        String[] rc = shape.split("x");
        int rows = Integer.parseInt(rc[0]);
        int cols = Integer.parseInt(rc[1]);
        Random rnd = new Random(1);
        ByteBuffer bb = ByteBuffer.allocateDirect(rows * cols * dtype.bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < rows * cols; i++) {
            float v = (float) rnd.nextGaussian();
            if (dtype == DType.F32) {
                bb.putFloat(4 * i, v);
            } else {
                bb.putShort(2 * i, (short) (Float.floatToRawIntBits(v) >>> 16));
            }
        }
        ops = new VectorOps(threads, int8);
        Weight view = new Weight("bench", dtype, rows, cols, bb, null);
        w = packed ? ops.prepare(view) : view;
        x = new float[batch * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        y = new float[batch * rows];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ops.close();
    }

    @Benchmark
    public float[] matmul() {
        ops.matmul(w, x, 0, w.cols, y, 0, w.rows, batch);
        return y;
    }
}
