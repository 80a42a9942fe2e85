package io.latentflow.cli.demo;

import io.latentflow.flink.spec.PipelineSpec;
import io.latentflow.schemas.samples.SampleEvents;
import java.util.function.Function;

/** One shipped pipeline of the demo with the generator of its input stream. */
record Stream(PipelineSpec spec, Function<SampleEvents, SampleEvents.Keyed> generator) {

    /** The sample generator for a pipeline, by the Avro subject its input topic carries. */
    static Function<SampleEvents, SampleEvents.Keyed> generatorFor(PipelineSpec spec) {
        String topic = spec.source().topic();
        if (topic.startsWith("logistics")) {
            return s -> s.logistics(50);
        }
        if (topic.startsWith("support")) {
            return SampleEvents::ticket;
        }
        if (topic.startsWith("game")) {
            return s -> s.game(20);
        }
        throw new IllegalArgumentException("the demo has no event generator for topic " + topic
                + " of pipeline " + spec.name());
    }
}
