package io.latentflow.embedded;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An {@link EmbeddedKafka} with the two secured client listeners that production clusters use, and the client
 * properties that reach them. Listeners:
 * <ul>
 *   <li>{@value #SASL_SSL}: TLS (server certificate from {@link TestPki}) and SASL/{@value #MECHANISM};
 *       the user is bootstrapped at storage format time (KRaft has no ZooKeeper to hold it).</li>
 *   <li>{@value #MTLS}: TLS with {@code ssl.client.auth=required}: a client must present a certificate signed
 *       by the CA.</li>
 * </ul>
 * The broker's own traffic (inter-broker, controller) and {@link EmbeddedKafka#createTopic} stay on PLAINTEXT
 * loopback listeners, which the secured tests never give their clients.
 */
public final class SecureKafka {
    public static final String SASL_SSL = "SASL_SSL";
    public static final String MTLS = "MTLS";
    public static final String MECHANISM = "SCRAM-SHA-512";

    private SecureKafka() {
    }

    /** Adds both listeners, their TLS settings and one SCRAM user to a broker builder. */
    public static EmbeddedKafka.Builder configure(EmbeddedKafka.Builder builder, TestPki pki, String user,
                                                  String password) {
        return builder
                .listener(SASL_SSL, "SASL_SSL")
                .listener(MTLS, "SSL")
                .scramUser(MECHANISM, user, password)
                .brokerProperty("sasl.enabled.mechanisms", MECHANISM)
                .brokerProperty("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required;")
                .brokerProperty("listener.name.mtls.ssl.client.auth", "required")
                .brokerProperty("ssl.keystore.type", "PKCS12")
                .brokerProperty("ssl.keystore.location", pki.serverKeystore().toString())
                .brokerProperty("ssl.keystore.password", pki.password())
                .brokerProperty("ssl.key.password", pki.password())
                .brokerProperty("ssl.truststore.type", "PKCS12")
                .brokerProperty("ssl.truststore.location", pki.truststore().toString())
                .brokerProperty("ssl.truststore.password", pki.password());
    }

    /** Client properties for the {@value #SASL_SSL} listener: SCRAM login over TLS, trusting the test CA. */
    public static Map<String, String> saslSslClient(TestPki pki, String user, String password) {
        Map<String, String> p = trusting(pki);
        p.put("security.protocol", "SASL_SSL");
        p.put("sasl.mechanism", MECHANISM);
        p.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user + "\" password=\"" + password + "\";");
        return p;
    }

    /** Client properties for the {@value #MTLS} listener: TLS with the client certificate. */
    public static Map<String, String> mtlsClient(TestPki pki) {
        Map<String, String> p = trusting(pki);
        p.put("security.protocol", "SSL");
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.keystore.location", pki.clientKeystore().toString());
        p.put("ssl.keystore.password", pki.password());
        p.put("ssl.key.password", pki.password());
        return p;
    }

    /** TLS client properties that trust the test CA and present no certificate. */
    public static Map<String, String> trusting(TestPki pki) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.location", pki.truststore().toString());
        p.put("ssl.truststore.password", pki.password());
        return p;
    }
}
