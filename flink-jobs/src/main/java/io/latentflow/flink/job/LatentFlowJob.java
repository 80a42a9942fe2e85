package io.latentflow.flink.job;

import io.latentflow.flink.spec.PipelineSpec;
import io.latentflow.flink.spec.PipelineSpecParser;
import io.latentflow.flink.spec.SpecException;
import io.latentflow.schemas.RegistryConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The LatentFlow job: per pipeline spec, KafkaSource → decode and prompt → micro-batched inference on
 * the task manager's shared engine → InferenceResults and dead letters into Kafka, exactly once.
 * {@code main} is what {@code flink run} calls; tests build the same graph with {@link #buildPipeline}.
 */
public final class LatentFlowJob {
    /** Flink's exactly-once sink needs transactions that outlive a checkpoint, within the broker's 15 min cap. */
    static final String TRANSACTION_TIMEOUT_MS = String.valueOf(TimeUnit.MINUTES.toMillis(15));

    private LatentFlowJob() {
    }

    public static void main(String[] args) throws Exception {
        Configuration options = parseArgs(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        List<PipelineSpec> specs = buildPipeline(env, options);
        env.execute("latentflow: " + String.join(", ", specs.stream().map(PipelineSpec::name).toList()));
    }

    /** {@code --key value} pairs into options; {@code --kafka.<name> <value>} into the Kafka properties. */
    public static Configuration parseArgs(String[] args) {
        Configuration c = new Configuration();
        Map<String, String> kafka = new HashMap<>();
        List<String> specs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                // a stray value may be a secret: name only its position, and the key when it is one
                throw new IllegalArgumentException("expected --key value pairs; argument " + (i + 1) + " of "
                        + args.length + (args[i].startsWith("--") ? " (" + args[i] + ") has no value"
                        : " is not a --key"));
            }
            String key = args[i].substring(2);
            String value = args[++i];
            if (key.startsWith("kafka.")) {
                kafka.put(key.substring("kafka.".length()), value);
            } else if (key.equals(LatentFlowOptions.SPEC.key())) {
                specs.add(value);
            } else {
                c.setString(key, value);
            }
        }
        c.set(LatentFlowOptions.SPEC, specs);
        LatentFlowOptions.setKafkaProperties(c, kafka);
        return c;
    }

    /** Configures checkpointing and restarts, and adds one pipeline per spec to env. Returns the specs. */
    public static List<PipelineSpec> buildPipeline(StreamExecutionEnvironment env, Configuration options) {
        List<String> files = options.get(LatentFlowOptions.SPEC);
        if (files == null || files.isEmpty()) {
            throw new SpecException("no pipeline spec given: pass --spec FILE");
        }
        String bootstrap = required(options, LatentFlowOptions.BOOTSTRAP_SERVERS.key());
        required(options, LatentFlowOptions.REGISTRY_URL.key());
        RegistryConfig registry = LatentFlowOptions.registryConfig(options);
        Map<String, String> kafkaProperties = LatentFlowOptions.kafkaProperties(options);
        configureEnvironment(env, options);
        List<PipelineSpec> specs = new ArrayList<>();
        for (String file : files) {
            PipelineSpec spec = withModelDir(PipelineSpecParser.parse(Path.of(file)),
                    options.get(LatentFlowOptions.MODEL_DIR));
            addPipeline(env, spec, bootstrap, registry, kafkaProperties, options);
            specs.add(spec);
        }
        return specs;
    }

    private static void configureEnvironment(StreamExecutionEnvironment env, Configuration options) {
        env.enableCheckpointing(options.get(LatentFlowOptions.CHECKPOINT_INTERVAL).toMillis(),
                CheckpointingMode.EXACTLY_ONCE);
        env.configure(restartStrategy(options));
    }

    /**
     * Exponential-delay restarts (see {@link LatentFlowOptions#RESTART_ATTEMPTS}): a short outage of the registry
     * or broker costs a quick restart, a long one ever rarer ones rather than a burnt-out fixed budget of
     * attempts, and failures days apart never add up to the limit.
     */
    static Configuration restartStrategy(Configuration options) {
        Configuration restart = new Configuration();
        if (options.get(LatentFlowOptions.RESTART_ATTEMPTS) == 0) {
            // no restarts: the first failure ends the job (Flink's exponential delay needs at least one attempt)
            restart.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
            return restart;
        }
        restart.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        restart.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
                options.get(LatentFlowOptions.RESTART_DELAY));
        restart.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
                options.get(LatentFlowOptions.RESTART_MAX_DELAY));
        restart.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER, 2.0);
        restart.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD,
                options.get(LatentFlowOptions.RESTART_RESET_AFTER));
        restart.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS,
                options.get(LatentFlowOptions.RESTART_ATTEMPTS));
        return restart;
    }

    private static void addPipeline(StreamExecutionEnvironment env, PipelineSpec spec, String bootstrap,
                                    RegistryConfig registry, Map<String, String> kafkaProperties,
                                    Configuration options) {
        String name = spec.name();
        Properties kafka = new Properties();
        kafka.putAll(kafkaProperties);

        KafkaSource<RawEvent> source = KafkaSource.<RawEvent>builder()
                .setBootstrapServers(bootstrap)
                .setTopics(spec.source().topic())
                .setGroupId("latentflow-" + name)
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new SourceRecordDeserializer())
                .setProperties(kafka)
                .build();
        DataStream<RawEvent> raw = env.fromSource(source, WatermarkStrategy.noWatermarks(), name + ": source")
                .uid(name + "-source");

        SingleOutputStreamOperator<PromptedEvent> prompted = raw
                .process(new PrepareFunction(spec, new RegistryRecordDecoder(registry)))
                .name(name + ": decode and prompt").uid(name + "-prepare");
        DataStream<PromptedEvent> toInfer = prompted;
        long failAfter = options.get(LatentFlowOptions.FAIL_ONCE_AFTER);
        if (failAfter > 0) {
            toInfer = prompted.map(new FailOnce<PromptedEvent>(name, failAfter))
                    .name(name + ": injected failure").uid(name + "-fail-once");
        }

        // ordered: results of one partition, so of one key, leave in the order their events came
        DataStream<Outcome> inferred = AsyncDataStream.orderedWait(toInfer, new InferenceFunction(spec,
                                options.get(LatentFlowOptions.ENGINE_FAIL_ONCE_AFTER)),
                        options.get(LatentFlowOptions.INFERENCE_TIMEOUT).toMillis(), TimeUnit.MILLISECONDS,
                        spec.batching().maxInFlight())
                .name(name + ": inference").uid(name + "-inference");

        Properties producer = new Properties();
        producer.putAll(kafka);
        producer.setProperty("transaction.timeout.ms", TRANSACTION_TIMEOUT_MS);
        KafkaSink<Outcome> sink = KafkaSink.<Outcome>builder()
                .setBootstrapServers(bootstrap)
                .setRecordSerializer(new OutcomeSerializer(spec, registry))
                .setDeliveryGuarantee(spec.delivery() == PipelineSpec.Delivery.EXACTLY_ONCE
                        ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE)
                .setTransactionalIdPrefix("latentflow-" + name)
                .setKafkaProducerConfig(producer)
                .build();
        inferred.union(prompted.getSideOutput(PrepareFunction.DEAD_LETTERS))
                .sinkTo(sink).name(name + ": results and dead letters").uid(name + "-sink");
    }

    private static PipelineSpec withModelDir(PipelineSpec s, String dir) {
        if (dir == null) {
            return s;
        }
        PipelineSpec.Model m = new PipelineSpec.Model(dir, s.model().backend(), s.model().threads(),
                s.model().cacheBudgetBytes());
        return new PipelineSpec(s.name(), s.source(), s.template(), s.task(), s.output(), s.batching(), s.delivery(), m);
    }

    private static String required(Configuration options, String key) {
        String v = options.getString(key, null);
        if (v == null || v.isBlank()) {
            throw new SpecException("missing option --" + key);
        }
        return v;
    }
}
