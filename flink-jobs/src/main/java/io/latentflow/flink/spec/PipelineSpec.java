package io.latentflow.flink.spec;

import java.io.Serializable;
import java.util.List;

/**
 * One pipeline as a data engineer writes it in YAML: where events come from, how a record becomes a
 * prompt, what the model does with it, where results and dead letters go. Parsed and validated by
 * {@link PipelineSpecParser}; serializable because Flink ships it to the task managers.
 *
 * @param name       pipeline name: in results, dead letters, metrics, transactional ids
 * @param source     input topic and its Avro value subject
 * @param template   prompt template over the record's fields, e.g. "Ticket {subject}: {body}"
 * @param task       classify with labels, or generate with sampling parameters
 * @param output     result and dead-letter topics
 * @param batching   micro-batch limits of the inference operator
 * @param delivery   exactly-once (default) or at-least-once
 * @param model      model directory and backend
 */
public record PipelineSpec(String name, Source source, String template, Task task, Output output, Batching batching,
                           Delivery delivery, Model model) implements Serializable {

    /**
     * @param topic        Kafka topic of Confluent-framed Avro values
     * @param valueSubject registry subject of the values (default {@code <topic>-value})
     * @param keyField     record field used as the event key (results keep per-key order), or null for the Kafka key
     */
    public record Source(String topic, String valueSubject, String keyField) implements Serializable {
    }

    /** What the model does with each prompt. */
    public sealed interface Task extends Serializable permits Classify, Generate {
    }

    /** Label distribution from the log-likelihood of each label's continuation of the prompt. */
    public record Classify(List<String> labels) implements Task {
    }

    /** Text continuation of the prompt. */
    public record Generate(int maxNewTokens, double temperature, int topK, double topP, long seed,
                           List<String> stop) implements Task {
    }

    public record Output(String topic, String deadLetterTopic) implements Serializable {
    }

    /**
     * @param maxEvents       requests handed to the engine together at most
     * @param maxPromptTokens prompt tokens prefilled in one engine step at most
     * @param maxWaitMs       how long the first request of a micro-batch waits for company
     * @param maxInFlight     requests of one operator instance in flight at once (backpressure beyond)
     */
    public record Batching(int maxEvents, int maxPromptTokens, long maxWaitMs, int maxInFlight)
            implements Serializable {
    }

    /**
     * Exactly-once results become visible when a checkpoint commits, so their latency is about the
     * checkpoint interval; at-least-once results are visible at once but may repeat after a failure.
     */
    public enum Delivery { EXACTLY_ONCE, AT_LEAST_ONCE }

    /**
     * @param dir           Hugging Face model directory, on every task manager
     * @param backend       "vector", "vector-int8" or "scalar"
     * @param threads       engine worker threads per task manager
     * @param cacheBudgetBytes latent KV cache budget per task manager (cache_budget_mb or cache_budget_kb)
     */
    public record Model(String dir, String backend, int threads, long cacheBudgetBytes) implements Serializable {
    }
}
