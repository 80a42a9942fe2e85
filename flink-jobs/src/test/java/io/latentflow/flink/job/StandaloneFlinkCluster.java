package io.latentflow.flink.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A Flink standalone session cluster in two child JVMs, started as {@code bin/jobmanager.sh} and
 * {@code bin/taskmanager.sh} would: a JobManager ({@code StandaloneSessionClusterEntrypoint}) and a
 * TaskManager ({@code TaskManagerRunner}), each with {@code --configDir} holding the config.yaml written
 * here, the task manager's JVM sized from the memory settings of that file and both with
 * {@code env.java.opts.all}. Their classpath holds only what a Flink distribution's {@code lib/} holds
 * (Flink's jars, their third-party dependencies, log4j), none of LatentFlow's classes, the Kafka
 * connector or Kafka: those must come with the job jar. Jobs go in through the REST API.
 */
final class StandaloneFlinkCluster implements AutoCloseable {
    /** env.java.opts.all of the config.yaml that Flink ships: what Flink itself needs on Java 17. */
    static final String FLINK_JAVA17_OPTS = "--add-exports=java.base/sun.net.util=ALL-UNNAMED "
            + "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED "
            + "--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED "
            + "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED "
            + "--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED "
            + "--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED "
            + "--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED "
            + "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED "
            + "--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED "
            + "--add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED "
            + "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED "
            + "--add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED "
            + "--add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED "
            + "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED "
            + "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED";
    /** Flink's Java 17 flags plus what the engine's vector backend needs in the task managers. */
    static final String JAVA_OPTS_ALL = FLINK_JAVA17_OPTS + " --add-modules jdk.incubator.vector";

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;
    private final int restPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Process> processes = new ArrayList<>();

    private StandaloneFlinkCluster(Path dir, int restPort) {
        this.dir = dir;
        this.restPort = restPort;
    }

    /** Writes the configuration, starts both JVMs and waits until the task manager's slots are registered. */
    static StandaloneFlinkCluster start(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(dir.resolve("tmp"));
        Files.createDirectories(dir.resolve("upload"));
        int rpc = freePort();
        int rest = freePort();
        int blob = freePort();
        String config = String.join("\n",
                "jobmanager.rpc.address: localhost",
                "jobmanager.rpc.port: " + rpc,
                "jobmanager.bind-host: localhost",
                "jobmanager.memory.process.size: 1024m",
                "rest.address: localhost",
                "rest.bind-address: localhost",
                "rest.port: " + rest,
                "blob.server.port: " + blob,
                "taskmanager.host: localhost",
                "taskmanager.bind-host: localhost",
                "taskmanager.numberOfTaskSlots: 2",
                "taskmanager.cpu.cores: 2",
                "taskmanager.memory.framework.heap.size: 128m",
                "taskmanager.memory.task.heap.size: 1024m",
                "taskmanager.memory.managed.size: 64m",
                "taskmanager.memory.network.min: 64m",
                "taskmanager.memory.network.max: 64m",
                "taskmanager.memory.framework.off-heap.size: 128m",
                "taskmanager.memory.task.off-heap.size: 64m",
                "taskmanager.memory.jvm-metaspace.size: 256m",
                "taskmanager.memory.jvm-overhead.min: 192m",
                "taskmanager.memory.jvm-overhead.max: 192m",
                "parallelism.default: 2",
                "env.java.opts.all: " + JAVA_OPTS_ALL,
                "io.tmp.dirs: " + dir.resolve("tmp"),
                "web.upload.dir: " + dir.resolve("upload"),
                "");
        Files.writeString(dir.resolve("conf/config.yaml"), config);
        Files.writeString(dir.resolve("conf/log4j.properties"), String.join("\n",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.file.ref = file",
                "appender.file.type = File",
                "appender.file.name = file",
                "appender.file.fileName = ${sys:log.file}",
                "appender.file.layout.type = PatternLayout",
                "appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p %-40c{1.} %m%n",
                ""));

        StandaloneFlinkCluster cluster = new StandaloneFlinkCluster(dir, rest);
        try {
            cluster.launch("jobmanager", "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                    List.of("-Xms512m", "-Xmx512m"));
            // as bin/taskmanager.sh derives them: heap = framework + task heap, direct = framework + task
            // off-heap + network, metaspace as configured
            cluster.launch("taskmanager", "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                    List.of("-Xms1152m", "-Xmx1152m", "-XX:MaxDirectMemorySize=256m", "-XX:MaxMetaspaceSize=256m"));
            cluster.awaitSlots(2, Duration.ofSeconds(60));
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    private void launch(String name, String mainClass, List<String> jvm) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvm);
        cmd.addAll(Arrays.asList(JAVA_OPTS_ALL.split(" ")));
        cmd.add("-Dlog.file=" + dir.resolve(name + ".log"));
        cmd.add("-Dlog4j.configurationFile=" + dir.resolve("conf/log4j.properties").toUri());
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, clusterClasspath()));
        cmd.add(mainClass);
        cmd.add("--configDir");
        cmd.add(dir.resolve("conf").toString());
        processes.add(new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".out").toFile()).start());
    }

    /**
     * The test classpath cut down to a Flink distribution's lib/: Flink's own jars (not the connectors
     * the job jar carries, not test jars) and the third-party jars Flink's runtime uses.
     */
    static List<String> clusterClasspath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> kept = new ArrayList<>();
        for (String entry : cp.split(File.pathSeparator)) {
            String p = entry.replace('\\', '/');
            String file = p.substring(p.lastIndexOf('/') + 1);
            boolean flink = p.contains("/org/apache/flink/") && !file.startsWith("flink-connector-kafka")
                    && !file.startsWith("flink-connector-base") && !file.startsWith("flink-test-utils")
                    && !file.endsWith("-tests.jar");
            boolean flinkDeps = List.of("/org/apache/commons/", "/commons-cli/", "/commons-collections/",
                    "/commons-io/", "/com/esotericsoftware/", "/org/objenesis/", "/org/snakeyaml/",
                    "/org/javassist/", "/tools/profiler/", "/org/xerial/snappy/", "/at/yawk/lz4/",
                    "/com/google/code/findbugs/", "/org/slf4j/slf4j-api/", "/org/apache/logging/log4j/")
                    .stream().anyMatch(p::contains);
            if (p.endsWith(".jar") && (flink || flinkDeps)) {
                kept.add(entry);
            }
        }
        for (String k : kept) {
            String p = k.replace('\\', '/');
            if (p.contains("/io/latentflow/") || p.contains("/org/apache/kafka/") || p.contains("/org/apache/avro/")
                    || p.contains("/ai/djl/") || p.contains("flink-connector-kafka")) {
                throw new AssertionError("the cluster classpath must not carry what the job jar carries: " + k);
            }
        }
        return kept;
    }

    private void awaitSlots(int slots, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Process p : processes) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("a cluster JVM exited with " + p.exitValue() + "\n" + logs());
                }
            }
            try {
                JsonNode overview = get("/overview");
                if (overview.path("slots-total").asInt() >= slots) {
                    return;
                }
            } catch (IOException notYet) {
                // the REST endpoint is not up yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no " + slots + " slots after " + timeout + "\n" + logs());
            }
            Thread.sleep(250);
        }
    }

    /** POST /jars/upload (multipart, as the web UI and `flink run` against REST do); returns the jar id. */
    String uploadJar(Path jar) throws Exception {
        String boundary = "----latentflow" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                + jar.getFileName() + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.write(Files.readAllBytes(jar));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        JsonNode r = send(HttpRequest.newBuilder(uri("/jars/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())), 200);
        String file = r.path("filename").asText();
        return Path.of(file).getFileName().toString();
    }

    /** POST /jars/{id}/run with the program arguments; returns the job id. */
    String runJar(String jarId, List<String> args, int parallelism) throws Exception {
        String body = JSON.writeValueAsString(Map.of("programArgsList", args, "parallelism", parallelism));
        JsonNode r = send(HttpRequest.newBuilder(uri("/jars/" + jarId + "/run"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), 200);
        return r.path("jobid").asText();
    }

    String jobState(String jobId) throws Exception {
        return get("/jobs/" + jobId).path("state").asText();
    }

    /** The root cause of the job's latest failure, if any, from /jobs/{id}/exceptions. */
    String jobExceptions(String jobId) {
        try {
            return get("/jobs/" + jobId + "/exceptions").path("exceptionHistory").path("entries")
                    .findValuesAsText("stacktrace").stream().limit(1).collect(Collectors.joining());
        } catch (Exception e) {
            return "(no exceptions: " + e + ")";
        }
    }

    /** Cancels the job unless it already ended (failed, finished). */
    void cancel(String jobId) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/jobs/" + jobId + "?mode=cancel"))
                .method("PATCH", HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202 && r.statusCode() != 409) {
            throw new IOException("cancel " + jobId + ": HTTP " + r.statusCode() + " " + r.body());
        }
    }

    private JsonNode get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET(), 200);
    }

    private JsonNode send(HttpRequest.Builder request, int expected) throws Exception {
        HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            throw new IOException(r.request().method() + " " + r.uri() + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + restPort + path);
    }

    /** The last lines of both JVMs' logs and outputs, for failure messages. */
    String logs() {
        StringBuilder b = new StringBuilder();
        for (String f : List.of("jobmanager.out", "jobmanager.log", "taskmanager.out", "taskmanager.log")) {
            Path p = dir.resolve(f);
            try {
                List<String> lines = Files.exists(p) ? Files.readAllLines(p) : List.of();
                b.append("---- ").append(f).append('\n');
                lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(l -> b.append(l).append('\n'));
            } catch (IOException | UncheckedIOException e) {
                b.append("---- ").append(f).append(": ").append(e).append('\n');
            }
        }
        return b.toString();
    }

    /** Stops both JVMs and whatever they started. */
    @Override
    public void close() {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
