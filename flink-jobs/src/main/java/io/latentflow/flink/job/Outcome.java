package io.latentflow.flink.job;

/**
 * What one source record became: an inference result or a dead letter (Flink POJO). Kept as plain
 * fields inside the job; the sink turns it into the Avro InferenceResult or DeadLetter.
 */
public class Outcome {
    public RawEvent source;
    public String eventKey;
    public String pipeline;
    public boolean deadLetter;

    // inference result
    public String task;
    public String label;
    public String[] labels;
    public double[] probabilities;
    public String generatedText;
    public int promptTokens;
    public int generatedTokens;
    public double queueMs;
    public double computeMs;
    public long batchId;
    public long inferenceTime;
    public String modelId;
    public String modelHash;

    // dead letter
    public String errorClass;
    public String errorMessage;
    public long deadLetterTime;

    public Outcome() {
    }

    public static Outcome deadLetter(RawEvent source, String eventKey, String pipeline, Throwable error) {
        Outcome o = new Outcome();
        o.source = source;
        o.eventKey = eventKey;
        o.pipeline = pipeline;
        o.deadLetter = true;
        o.errorClass = error.getClass().getName();
        o.errorMessage = error.getMessage() != null ? error.getMessage() : error.toString();
        o.deadLetterTime = System.currentTimeMillis();
        return o;
    }
}
