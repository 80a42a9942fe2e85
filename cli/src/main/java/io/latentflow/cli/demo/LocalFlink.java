package io.latentflow.cli.demo;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** A Flink MiniCluster in this JVM with its web UI, for the demo and `latentflow run`. */
public final class LocalFlink {
    private LocalFlink() {
    }

    /** An environment whose jobs run on a local cluster with one slot per parallel task, the web UI on uiPort. */
    public static StreamExecutionEnvironment environment(int uiPort, int parallelism) {
        Configuration cluster = new Configuration();
        cluster.set(RestOptions.PORT, uiPort);
        cluster.set(TaskManagerOptions.NUM_TASK_SLOTS, parallelism);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(cluster);
        env.setParallelism(parallelism);
        return env;
    }
}
