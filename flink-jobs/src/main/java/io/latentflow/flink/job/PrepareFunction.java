package io.latentflow.flink.job;

import io.latentflow.flink.spec.PipelineSpec;
import io.latentflow.flink.spec.PromptTemplate;
import io.latentflow.schemas.SchemaRegistryException;
import java.nio.charset.StandardCharsets;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decodes a raw record and renders the spec's prompt template over it. A record that cannot be
 * decoded, lacks a template field, or renders an empty prompt leaves through {@link #DEAD_LETTERS}
 * with the reason (docs/bad-input.md lists them all).
 */
public final class PrepareFunction extends ProcessFunction<RawEvent, PromptedEvent> {
    public static final OutputTag<Outcome> DEAD_LETTERS = new OutputTag<>("dead-letters") {
    };

    private final PipelineSpec spec;
    private final RecordDecoder decoder;
    private transient PromptTemplate template;
    private transient PromptTemplate keyTemplate; // null: the Kafka key is the event key
    private transient Counter deadLetters;

    public PrepareFunction(PipelineSpec spec, RecordDecoder decoder) {
        this.spec = spec;
        this.decoder = decoder;
    }

    @Override
    public void open(OpenContext context) {
        template = PromptTemplate.parse(spec.template());
        keyTemplate = spec.source().keyField() != null ? PromptTemplate.parse("{" + spec.source().keyField() + "}") : null;
        deadLetters = getRuntimeContext().getMetricGroup().counter("deadLettersDecode");
    }

    @Override
    public void processElement(RawEvent raw, Context ctx, Collector<PromptedEvent> out) {
        String key = raw.key != null ? new String(raw.key, StandardCharsets.UTF_8) : null;
        PromptedEvent prompted;
        try {
            if (raw.value == null) {
                throw new IllegalArgumentException("record has no value (a tombstone)");
            }
            GenericRecord record = decoder.decode(raw.topic, raw.value);
            if (keyTemplate != null) {
                key = keyTemplate.render(record);
            }
            String prompt = template.render(record);
            if (prompt.isBlank()) {
                throw new IllegalArgumentException("empty prompt: the template '" + spec.template()
                        + "' rendered only whitespace from this record (its fields are empty)");
            }
            prompted = new PromptedEvent(raw, key, prompt);
        } catch (SchemaRegistryException e) {
            if (e.isRetriable()) {
                // the registry is down, not the record bad: fail, restore from the checkpoint and retry
                throw e;
            }
            deadLetter(raw, key, e, ctx);
            return;
        } catch (Exception e) {
            deadLetter(raw, key, e, ctx);
            return;
        }
        // outside the try: a failure downstream in the chain is the job's, not this record's
        out.collect(prompted);
    }

    private void deadLetter(RawEvent raw, String key, Exception e, Context ctx) {
        deadLetters.inc();
        ctx.output(DEAD_LETTERS, Outcome.deadLetter(raw, key, spec.name(), e));
    }
}
