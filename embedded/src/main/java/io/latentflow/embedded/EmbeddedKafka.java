package io.latentflow.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) running inside this JVM.
 *
 * <p>Why in-process: the demo and the integration tests must run where there is no Docker and no Kafka
 * installation, only Maven Central; {@code kafka_2.13} is the broker itself, so this is the same code that
 * runs in production, not a mock. The storage is formatted with Kafka's own {@link StorageTool} (exactly
 * what {@code kafka-storage.sh format} does), then {@link KafkaRaftServer} is started, as
 * {@code kafka-server-start.sh} does.
 *
 * <p>The settings make transactions (and so exactly-once sinks) work with a single broker: every internal
 * topic has replication factor 1 and min ISR 1. The log directory is a fresh temp directory deleted on
 * {@link #close()}. Further broker properties (for example SASL_SSL or mTLS listeners) can be passed with
 * {@link Builder#brokerProperty}; they override the defaults.
 */
public final class EmbeddedKafka implements AutoCloseable {
    /** The listener clients use; a later listener (SASL_SSL, mTLS) can be added with extra properties. */
    public static final String CLIENT_LISTENER = "PLAINTEXT";
    /** The KRaft controller listener; clients never connect to it. */
    public static final String CONTROLLER_LISTENER = "CONTROLLER";

    private static final int NODE_ID = 1;
    private static final int START_ATTEMPTS = 3;

    static {
        Logging.quietKafka();
    }

    private static final long RESTART_BIND_TIMEOUT_MS = 30_000;

    private KafkaRaftServer server; // null while stopped; guarded by this
    private final Path logDir;
    private final String bootstrapServers;
    private final Map<String, String> brokerProperties;
    private final Map<String, String> listenerAddresses;
    private boolean closed;

    private EmbeddedKafka(KafkaRaftServer server, Path logDir, String bootstrapServers, Map<String, String> props,
                          Map<String, String> listenerAddresses) {
        this.server = server;
        this.logDir = logDir;
        this.bootstrapServers = bootstrapServers;
        this.brokerProperties = props;
        this.listenerAddresses = listenerAddresses;
    }

    /** Starts a broker with the default settings. */
    public static EmbeddedKafka start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code host:port} of the {@value #CLIENT_LISTENER} listener, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * {@code host:port} of a listener added with {@link Builder#listener} (or of {@value #CLIENT_LISTENER}), for
     * {@code bootstrap.servers} of clients that use its security protocol.
     */
    public String bootstrapServers(String listenerName) {
        String address = listenerAddresses.get(listenerName.toUpperCase(Locale.ROOT));
        if (address == null) {
            throw new IllegalArgumentException("no listener " + listenerName + "; listeners: "
                    + listenerAddresses.keySet());
        }
        return address;
    }

    /** The broker's effective properties (defaults plus extras), e.g. for a test to read a listener's port. */
    public Map<String, String> brokerProperties() {
        return brokerProperties;
    }

    /** The temp directory holding the metadata and partition logs; deleted on close. */
    public Path logDir() {
        return logDir;
    }

    /** Creates a topic with replication factor 1 and waits until the broker has created it. */
    public void createTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of());
    }

    /** Creates a topic with replication factor 1 and the given topic configs (e.g. cleanup.policy). */
    public void createTopic(String name, int partitions, Map<String, String> topicConfigs) {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(topicConfigs)))
                    .all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("creating topic " + name + " with " + partitions + " partitions on "
                    + bootstrapServers + " failed: " + e.getCause(), e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException("creating topic " + name + " on " + bootstrapServers + " failed", e);
        }
    }

    /** An admin client for this broker; the caller closes it. */
    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /**
     * Stops the broker and controller (a controlled shutdown, like {@code kafka-server-stop.sh}) but keeps the
     * log directory, so that {@link #startAgain()} brings back the same topics, committed offsets and
     * transaction state on the same ports. For fault-injection tests: clients see the broker go away.
     */
    public synchronized void stop() {
        if (closed) {
            throw new IllegalStateException("the broker at " + bootstrapServers + " is closed");
        }
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    /**
     * Starts a broker stopped by {@link #stop()} on its ports and log directory (no format: the storage is kept).
     * The ports may still be held by the old sockets for a moment, so binding is retried for up to 30 s.
     */
    public synchronized void startAgain() {
        if (closed) {
            throw new IllegalStateException("the broker at " + bootstrapServers + " is closed");
        }
        if (server != null) {
            return;
        }
        long deadline = System.currentTimeMillis() + RESTART_BIND_TIMEOUT_MS;
        while (true) {
            KafkaRaftServer s = new KafkaRaftServer(new KafkaConfig(brokerProperties, false), Time.SYSTEM);
            try {
                s.startup();
                server = s;
                return;
            } catch (RuntimeException e) {
                try {
                    s.shutdown();
                    s.awaitShutdown();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                if (!FreePorts.isBindFailure(e) || System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("restarting Kafka at " + bootstrapServers + " (log dir " + logDir
                            + ") failed: " + e, e);
                }
            }
            try {
                Thread.sleep(500); // the old listener's port is not free yet: nothing to wait on but time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while restarting Kafka at " + bootstrapServers, e);
            }
        }
    }

    /** {@link #stop()} then {@link #startAgain()}: a broker restart as clients see it. */
    public synchronized void restart() {
        stop();
        startAgain();
    }

    /** Stops the broker and controller, waits for them, and deletes the log directory. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (server != null) {
                server.shutdown();
                server.awaitShutdown();
            }
        } finally {
            Files2.deleteRecursively(logDir);
        }
    }

    /** Configures and starts an {@link EmbeddedKafka}. */
    public static final class Builder {
        private final Map<String, String> extra = new LinkedHashMap<>();
        private final Map<String, String> listeners = new LinkedHashMap<>();
        private final List<String> scramCredentials = new ArrayList<>();
        private String host = "127.0.0.1";

        private Builder() {
        }

        /** Host the listeners bind to and advertise; loopback by default. */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** A broker property that overrides the defaults (listeners, SASL/SSL settings, retention ...). */
        public Builder brokerProperty(String key, String value) {
            extra.put(key, value);
            return this;
        }

        /**
         * An extra client listener on a free port, e.g. {@code listener("SASL_SSL", "SASL_SSL")} or
         * {@code listener("MTLS", "SSL")}; its settings are broker properties with the listener prefix
         * ({@code listener.name.mtls.ssl.client.auth=required}). The broker's own traffic stays on the
         * {@value #CLIENT_LISTENER} listener; {@link EmbeddedKafka#bootstrapServers(String)} gives its address.
         */
        public Builder listener(String name, String securityProtocol) {
            listeners.put(name.toUpperCase(Locale.ROOT), securityProtocol);
            return this;
        }

        /**
         * A SCRAM user bootstrapped when the storage is formatted ({@code kafka-storage format --add-scram}), which
         * is how KRaft gets SCRAM credentials before any SASL listener can be used. Mechanism: SCRAM-SHA-256 or -512.
         */
        public Builder scramUser(String mechanism, String user, String password) {
            if (user.contains(",") || user.contains("]") || password.contains(",") || password.contains("]")) {
                throw new IllegalArgumentException("SCRAM user and password must not contain ',' or ']'");
            }
            scramCredentials.add(mechanism + "=[name=" + user + ",password=" + password + "]");
            return this;
        }

        /** Several broker properties at once; see {@link #brokerProperty}. */
        public Builder brokerProperties(Map<String, String> properties) {
            extra.putAll(properties);
            return this;
        }

        /**
         * Formats a temp log directory and starts the broker on free loopback ports. Ports are picked before the
         * broker binds them, so another process can take one in between; the start is then retried on new ports.
         */
        public EmbeddedKafka start() {
            RuntimeException last = null;
            for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
                int clientPort = FreePorts.pick();
                int controllerPort = FreePorts.pick();
                try {
                    return startOnce(clientPort, controllerPort);
                } catch (RuntimeException e) {
                    last = e;
                    if (!FreePorts.isBindFailure(e)) {
                        break;
                    }
                }
            }
            throw last;
        }

        private EmbeddedKafka startOnce(int clientPort, int controllerPort) {
            Path logDir;
            try {
                logDir = Files.createTempDirectory("latentflow-kafka-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a temp log directory for Kafka", e);
            }
            Map<String, String> props = defaults(clientPort, controllerPort, logDir);
            Map<String, String> addresses = new LinkedHashMap<>();
            addresses.put(CLIENT_LISTENER, host + ":" + clientPort);
            for (Map.Entry<String, String> l : listeners.entrySet()) {
                String address = host + ":" + FreePorts.pick();
                addresses.put(l.getKey(), address);
                props.merge("listeners", l.getKey() + "://" + address, (a, b) -> a + "," + b);
                props.merge("advertised.listeners", l.getKey() + "://" + address, (a, b) -> a + "," + b);
                props.merge("listener.security.protocol.map", l.getKey() + ":" + l.getValue(), (a, b) -> a + "," + b);
            }
            props.putAll(extra);
            KafkaRaftServer server = null;
            try {
                format(props, logDir, scramCredentials);
                server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
                server.startup();
                return new EmbeddedKafka(server, logDir, host + ":" + clientPort, Map.copyOf(props),
                        Map.copyOf(addresses));
            } catch (RuntimeException e) {
                if (server != null) {
                    try {
                        server.shutdown();
                        server.awaitShutdown();
                    } catch (RuntimeException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                Files2.deleteRecursively(logDir);
                throw new IllegalStateException("starting Kafka " + KafkaVersion.get() + " on " + host + ":"
                        + clientPort + " (controller port " + controllerPort + ", log dir " + logDir + ") failed: "
                        + e, e);
            }
        }

        private Map<String, String> defaults(int clientPort, int controllerPort, Path logDir) {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("process.roles", "broker,controller");
            p.put("node.id", String.valueOf(NODE_ID));
            p.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
            p.put("controller.listener.names", CONTROLLER_LISTENER);
            p.put("listeners", CLIENT_LISTENER + "://" + host + ":" + clientPort + ","
                    + CONTROLLER_LISTENER + "://" + host + ":" + controllerPort);
            p.put("advertised.listeners", CLIENT_LISTENER + "://" + host + ":" + clientPort);
            p.put("inter.broker.listener.name", CLIENT_LISTENER);
            p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            p.put("log.dirs", logDir.toString());
            p.put("num.partitions", "1");
            p.put("default.replication.factor", "1");
            p.put("min.insync.replicas", "1");
            p.put("offsets.topic.replication.factor", "1");
            p.put("offsets.topic.num.partitions", "5");
            p.put("transaction.state.log.replication.factor", "1");
            p.put("transaction.state.log.min.isr", "1");
            p.put("transaction.state.log.num.partitions", "5");
            p.put("share.coordinator.state.topic.replication.factor", "1");
            p.put("share.coordinator.state.topic.min.isr", "1");
            p.put("group.initial.rebalance.delay.ms", "0");
            return p;
        }

        /** What {@code kafka-storage.sh format -c server.properties -t <cluster id>} does. */
        private static void format(Map<String, String> props, Path logDir, List<String> scram) {
            Path configFile = logDir.resolve("server.properties");
            Properties properties = new Properties();
            properties.putAll(props);
            try (Writer w = Files.newBufferedWriter(configFile, StandardCharsets.UTF_8)) {
                properties.store(w, "written by EmbeddedKafka for kafka-storage format");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + configFile, e);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int rc;
            List<String> args = new ArrayList<>(List.of("format", "--config", configFile.toString(),
                    "--cluster-id", Uuid.randomUuid().toString(), "--ignore-formatted"));
            for (String credential : scram) {
                args.add("--add-scram");
                args.add(credential);
            }
            try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
                rc = StorageTool.execute(args.toArray(String[]::new), ps);
            } finally {
                try {
                    Files.deleteIfExists(configFile); // it may hold keystore passwords
                } catch (IOException ignored) {
                    // deleted with the log directory anyway
                }
            }
            if (rc != 0) {
                // the tool's output may echo the SCRAM arguments: keep passwords out of the message
                String text = out.toString(StandardCharsets.UTF_8).strip();
                for (String credential : scram) {
                    text = text.replace(credential, "<scram credential>");
                }
                throw new IllegalStateException("kafka-storage format of " + logDir + " exited with " + rc + ": "
                        + text);
            }
        }
    }

    /** The kafka-clients version on the class path, for error messages. */
    private static final class KafkaVersion {
        static String get() {
            return org.apache.kafka.common.utils.AppInfoParser.getVersion();
        }
    }
}
