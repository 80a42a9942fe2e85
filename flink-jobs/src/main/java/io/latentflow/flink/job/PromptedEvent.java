package io.latentflow.flink.job;

/** A decoded event turned into a prompt, still carrying its source record for dead letters (Flink POJO). */
public class PromptedEvent {
    public RawEvent source;
    /** The spec's key field, else the Kafka key as UTF-8; null when neither exists. */
    public String eventKey;
    public String prompt;

    public PromptedEvent() {
    }

    public PromptedEvent(RawEvent source, String eventKey, String prompt) {
        this.source = source;
        this.eventKey = eventKey;
        this.prompt = prompt;
    }
}
