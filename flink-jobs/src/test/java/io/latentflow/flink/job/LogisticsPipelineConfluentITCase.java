package io.latentflow.flink.job;

import java.nio.file.Path;
import java.time.Duration;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * {@link LogisticsPipelineScenario} on Kafka and Confluent's own schema registry in Docker: the proof that
 * the pipeline's registry client and wire format work with the real Confluent server, not only with
 * Apicurio's compatibility API. Skipped where there is no Docker. The images can be overridden with
 * {@code -Dlatentflow.it.kafka.image=...} and {@code -Dlatentflow.it.registry.image=...}.
 */
@Testcontainers(disabledWithoutDocker = true)
class LogisticsPipelineConfluentITCase extends LogisticsPipelineScenario {
    /** The broker's listener for the other containers of the network (the registry's Kafka store). */
    private static final String INTERNAL_LISTENER = "kafka:19092";
    private static final int REGISTRY_PORT = 8081;

    static final Network NETWORK = Network.newNetwork();

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer(
            DockerImageName.parse(System.getProperty("latentflow.it.kafka.image", "apache/kafka:4.2.0")))
            .withNetwork(NETWORK)
            .withNetworkAliases("kafka")
            .withListener(INTERNAL_LISTENER);

    @Container
    static final GenericContainer<?> REGISTRY = new GenericContainer<>(DockerImageName.parse(
            System.getProperty("latentflow.it.registry.image", "confluentinc/cp-schema-registry:8.0.0")))
            .withNetwork(NETWORK)
            .withNetworkAliases("schema-registry")
            .withExposedPorts(REGISTRY_PORT)
            .withEnv("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
            .withEnv("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:" + REGISTRY_PORT)
            .withEnv("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://" + INTERNAL_LISTENER)
            .dependsOn(KAFKA)
            .waitingFor(Wait.forHttp("/subjects").forStatusCode(200).withStartupTimeout(Duration.ofMinutes(3)));

    @Override
    PipelineHarness startHarness(Path workDir) {
        // Confluent serves its API at the root, where Apicurio has /apis/ccompat/v7; the containers are
        // stopped by the Testcontainers extension, so the harness owns nothing
        String registryUrl = "http://" + REGISTRY.getHost() + ":" + REGISTRY.getMappedPort(REGISTRY_PORT);
        return new PipelineHarness(workDir, KAFKA.getBootstrapServers(), registryUrl, null);
    }

    @Override
    String variant() {
        return "confluent";
    }
}
