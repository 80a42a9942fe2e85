package io.latentflow.flink.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentflow.schemas.RegistryConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Security options: pass-through Kafka properties, the properties file, registry TLS, and no secret in dumps. */
class LatentFlowOptionsTest {
    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"u\" password=\"jaas-secret\";";

    @Test
    void kafkaPassThroughReachesThePropertiesAndTheDumpMasksSecrets(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, "security.protocol=SSL\nssl.keystore.password=file-secret\n");
        Configuration c = LatentFlowJob.parseArgs(new String[] {
            "--bootstrap-servers", "b:9093", "--registry-url", "https://r:8443",
            "--kafka-properties-file", file.toString(),
            "--kafka.security.protocol", "SASL_SSL", "--kafka.sasl.mechanism", "SCRAM-SHA-512",
            "--kafka.sasl.jaas.config", JAAS, "--kafka.ssl.truststore.password", "trust-secret",
            "--registry-basic-auth", "svc:registry-secret",
            "--registry-truststore", "/etc/ca.p12", "--registry-truststore-password", "rts-secret"});
        Map<String, String> kafka = LatentFlowOptions.kafkaProperties(c);
        assertEquals("SASL_SSL", kafka.get("security.protocol"), "--kafka.* overrides the file");
        assertEquals(JAAS, kafka.get("sasl.jaas.config"));
        assertEquals("file-secret", kafka.get("ssl.keystore.password"));
        assertEquals("trust-secret", kafka.get("ssl.truststore.password"));

        RegistryConfig registry = LatentFlowOptions.registryConfig(c);
        assertEquals("svc:registry-secret", registry.basicAuthUserInfo());
        assertEquals("/etc/ca.p12", registry.tls().truststoreLocation());
        assertEquals("rts-secret", registry.tls().truststorePassword());

        for (String dump : new String[] {c.toString(), registry.toString(), c.toMap().keySet().toString()}) {
            for (String secret : new String[] {"jaas-secret", "trust-secret", "registry-secret", "rts-secret"}) {
                assertFalse(dump.contains(secret), secret + " in " + dump);
            }
        }
        assertTrue(c.toString().contains("kafka-properties.security.protocol=SASL_SSL"), c.toString());
    }

    @Test
    void aStrayArgumentIsNamedByPositionNotByValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LatentFlowJob.parseArgs(
                new String[] {"--kafka.sasl.jaas.config", "a", "password=\"stray-secret\""}));
        assertFalse(e.getMessage().contains("stray-secret"), e.getMessage());
        assertTrue(e.getMessage().contains("argument 3"), e.getMessage());
    }
}
