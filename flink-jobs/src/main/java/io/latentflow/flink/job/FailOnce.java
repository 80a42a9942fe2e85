package io.latentflow.flink.job;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * Fault injection for tests: throws once after {@code after} events, so that the job restores from
 * its last checkpoint mid-stream. "Once" is per JVM and pipeline, which with a MiniCluster means
 * once per test run.
 */
public final class FailOnce<T> extends RichMapFunction<T, T> {
    private static final Set<String> FAILED = ConcurrentHashMap.newKeySet();
    private final String pipeline;
    private final long after;
    private long seen;

    public FailOnce(String pipeline, long after) {
        this.pipeline = pipeline;
        this.after = after;
    }

    /** Whether the failure of this pipeline was injected in this JVM. */
    public static boolean hasFailed(String pipeline) {
        return FAILED.contains(pipeline);
    }

    /** True the first time in this JVM for {@code fault}: whoever gets it injects that fault, once. */
    static boolean claim(String fault) {
        return FAILED.add(fault);
    }

    @Override
    public T map(T value) {
        if (++seen >= after && claim(pipeline)) {
            throw new IllegalStateException("injected failure in pipeline " + pipeline + " after " + seen + " events");
        }
        return value;
    }
}
