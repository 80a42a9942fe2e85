package io.latentflow.embedded;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real Apicurio Registry (Quarkus, in-memory H2 storage, no auth) as a child JVM on a free loopback port.
 *
 * <p>Why a child process: the registry is a Quarkus application with its own class path (hundreds of jars,
 * another Jackson, another Kafka client), which must not mix with the caller's. It serves the
 * Confluent-compatible API at {@link #confluentApiUrl()}, which Avro serdes and Flink's registry formats use.
 *
 * <p>The child's stdout and stderr go to {@link #logFile()}. It is started through {@link ParentWatchdog}, so it
 * exits when this JVM dies even by SIGKILL; a shutdown hook covers ordinary exits. {@link #close()} stops it
 * and waits.
 */
public final class EmbeddedApicurio implements AutoCloseable {
    private static final int LOG_TAIL_LINES = 40;

    private final Process process;
    private final String url;
    private final Path logFile;
    private final Path workDir;
    private final boolean deleteWorkDir;
    private final Thread shutdownHook;
    private boolean closed;

    private EmbeddedApicurio(Process process, String url, Path logFile, Path workDir, boolean deleteWorkDir) {
        this.process = process;
        this.url = url;
        this.logFile = logFile;
        this.workDir = workDir;
        this.deleteWorkDir = deleteWorkDir;
        this.shutdownHook = new Thread(() -> stop(process), "apicurio-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts the registry with the default settings. */
    public static EmbeddedApicurio start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Base URL, e.g. {@code http://127.0.0.1:41234}. */
    public String url() {
        return url;
    }

    /** The Confluent-compatible API, {@code <base>/apis/ccompat/v7}: Confluent serdes' schema.registry.url. */
    public String confluentApiUrl() {
        return url + "/apis/ccompat/v7";
    }

    /** Apicurio's own API, {@code <base>/apis/registry/v3}. */
    public String registryApiUrl() {
        return url + "/apis/registry/v3";
    }

    /** Where the child's stdout and stderr go. */
    public Path logFile() {
        return logFile;
    }

    /** The child's process id. */
    public long pid() {
        return process.pid();
    }

    /** Stops the child (and any children of it), waits for it, and removes the temp work directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
        stop(process);
        if (deleteWorkDir) {
            Files2.deleteRecursively(workDir);
        }
    }

    private static void stop(Process process) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Configures and starts an {@link EmbeddedApicurio}. */
    public static final class Builder {
        private final Map<String, String> properties = new LinkedHashMap<>();
        private ApicurioDistribution distribution;
        private String maxHeap = "256m";
        private Duration startTimeout = Duration.ofSeconds(120);
        private Path logFile;

        private Builder() {
        }

        /** The distribution to run; by default {@link ApicurioDistribution#locate()}. */
        public Builder distribution(ApicurioDistribution distribution) {
            this.distribution = distribution;
            return this;
        }

        /** The child's -Xmx, 256m by default. */
        public Builder maxHeap(String maxHeap) {
            this.maxHeap = maxHeap;
            return this;
        }

        /** How long to wait for the API to answer before failing; 120 s by default (a slow CI machine). */
        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = startTimeout;
            return this;
        }

        /** Where the child's output goes; by default a file in a temp directory removed on close. */
        public Builder logFile(Path logFile) {
            this.logFile = logFile;
            return this;
        }

        /** A Quarkus/Apicurio configuration property for the child (-Dkey=value); overrides the defaults. */
        public Builder property(String key, String value) {
            properties.put(key, value);
            return this;
        }

        /** Starts the child JVM and waits until the Confluent-compatible API answers. */
        public EmbeddedApicurio start() {
            ApicurioDistribution dist = distribution != null ? distribution : ApicurioDistribution.locate();
            int port = FreePorts.pick();
            String url = "http://127.0.0.1:" + port;
            Path workDir;
            try {
                workDir = Files.createTempDirectory("latentflow-apicurio-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a temp directory for Apicurio", e);
            }
            Path log = logFile != null ? logFile : workDir.resolve("apicurio.log");
            List<String> command = command(dist, port, workDir);
            Process process;
            try {
                Files.createDirectories(log.toAbsolutePath().getParent());
                process = new ProcessBuilder(command)
                        .directory(workDir.toFile()) // Quarkus reads ./config/application.properties: none here
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
            } catch (IOException e) {
                Files2.deleteRecursively(workDir);
                throw new UncheckedIOException("cannot start Apicurio: " + String.join(" ", command), e);
            }
            try {
                waitUntilReady(process, url, port, log);
            } catch (RuntimeException e) {
                stop(process);
                throw e;
            }
            return new EmbeddedApicurio(process, url, log, workDir, logFile == null);
        }

        private List<String> command(ApicurioDistribution dist, int port, Path workDir) {
            Map<String, String> props = new LinkedHashMap<>();
            props.put("quarkus.http.host", "127.0.0.1");
            props.put("quarkus.http.port", String.valueOf(port));
            // in-memory storage: H2 in this JVM, gone with it (also the 3.0.9 default, stated so it stays so)
            props.put("apicurio.storage.kind", "sql");
            props.put("apicurio.storage.sql.kind", "h2");
            props.put("apicurio.datasource.url", "jdbc:h2:mem:registry");
            props.put("apicurio.datasource.jdbc.initial-size", "2");
            props.put("apicurio.datasource.jdbc.min-size", "2");
            props.put("apicurio.datasource.jdbc.max-size", "20");
            // no authentication, no access log per request
            props.put("quarkus.oidc.tenant-enabled", "false");
            props.put("apicurio.authn.basic-client-credentials.enabled", "false");
            props.put("apicurio.auth.role-based-authorization", "false");
            props.put("quarkus.http.access-log.enabled", "false");
            props.put("java.io.tmpdir", workDir.toString());
            props.put("apicurio.import.work-dir", workDir.toString());
            props.putAll(properties);

            List<String> cmd = new ArrayList<>();
            cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("-Xmx" + maxHeap);
            cmd.add("-XX:+UseSerialGC");
            cmd.add("-XX:TieredStopAtLevel=1"); // start-up matters more than peak speed for a few requests
            props.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
            cmd.add("-cp");
            cmd.add(watchdogClassPath() + File.pathSeparator + dist.runnerJar());
            cmd.add(ParentWatchdog.class.getName());
            cmd.add(String.valueOf(ProcessHandle.current().pid()));
            cmd.add(dist.mainClass());
            return cmd;
        }

        /** This module's classes (a directory or the embedded jar), for {@link ParentWatchdog}. */
        private static String watchdogClassPath() {
            try {
                return Paths.get(ParentWatchdog.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                        .toString();
            } catch (URISyntaxException | RuntimeException e) {
                throw new IllegalStateException("cannot find the class path entry of " + ParentWatchdog.class, e);
            }
        }

        private void waitUntilReady(Process process, String url, int port, Path log) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpRequest probe = HttpRequest.newBuilder(URI.create(url + "/apis/ccompat/v7/subjects"))
                    .timeout(Duration.ofSeconds(5)).GET().build();
            long deadline = System.nanoTime() + startTimeout.toNanos();
            String lastProblem = "no answer yet";
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Apicurio on port " + port + " exited with code "
                            + process.exitValue() + " while starting; last lines of " + log + ":\n" + tail(log));
                }
                try {
                    HttpResponse<String> r = http.send(probe, HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        return;
                    }
                    lastProblem = "HTTP " + r.statusCode() + ": " + r.body();
                } catch (IOException e) {
                    lastProblem = e.toString();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for Apicurio on port " + port, e);
                }
                sleep(200);
            }
            throw new IllegalStateException("Apicurio on port " + port + " did not answer " + probe.uri() + " within "
                    + startTimeout.toSeconds() + " s (last: " + lastProblem + "); last lines of " + log + ":\n"
                    + tail(log));
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Apicurio", e);
            }
        }
    }

    /** The last lines of a log file, for error messages. */
    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }
}
