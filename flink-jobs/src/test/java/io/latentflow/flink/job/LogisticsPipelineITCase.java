package io.latentflow.flink.job;

import java.nio.file.Path;

/** {@link LogisticsPipelineScenario} on the embedded KRaft broker and the real Apicurio registry (child JVM). */
class LogisticsPipelineITCase extends LogisticsPipelineScenario {

    @Override
    PipelineHarness startHarness(Path workDir) {
        return PipelineHarness.embedded(workDir);
    }

    @Override
    String variant() {
        return "embedded";
    }
}
