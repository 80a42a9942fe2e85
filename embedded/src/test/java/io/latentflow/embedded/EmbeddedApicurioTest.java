package io.latentflow.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The real registry: an Avro schema registered and read back through the Confluent-compatible API. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class EmbeddedApicurioTest {
    private static final String SCHEMA = "{\"type\":\"record\",\"name\":\"Prompt\",\"namespace\":\"io.latentflow\","
            + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"text\",\"type\":\"string\"}]}";
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private static EmbeddedApicurio registry;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        long t0 = System.nanoTime();
        registry = EmbeddedApicurio.start();
        System.out.printf("EmbeddedApicurio started in %d ms at %s (pid %d)%n", (System.nanoTime() - t0) / 1_000_000,
                registry.url(), registry.pid());
    }

    @AfterAll
    static void stop() {
        if (registry == null) {
            return;
        }
        long pid = registry.pid();
        long t0 = System.nanoTime();
        registry.close();
        System.out.printf("EmbeddedApicurio closed in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "child " + pid + " gone");
    }

    @Test
    void registersAvroSchemaAndReadsItBackById() throws Exception {
        String body = "{\"schema\":" + jsonString(SCHEMA) + "}";
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(
                        URI.create(registry.confluentApiUrl() + "/subjects/prompts-value/versions"))
                .header("Content-Type", CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, created.statusCode(), created.body());
        Matcher m = Pattern.compile("\"id\"\\s*:\\s*(\\d+)").matcher(created.body());
        assertTrue(m.find(), created.body());
        long id = Long.parseLong(m.group(1));

        HttpResponse<String> byId = http.send(HttpRequest.newBuilder(
                URI.create(registry.confluentApiUrl() + "/schemas/ids/" + id)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, byId.statusCode(), byId.body());
        assertTrue(byId.body().contains("Prompt") && byId.body().contains("io.latentflow"), byId.body());

        HttpResponse<String> subjects = http.send(HttpRequest.newBuilder(
                URI.create(registry.confluentApiUrl() + "/subjects")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(subjects.body().contains("prompts-value"), subjects.body());

        // the same schema again gets the same id (what serdes rely on)
        HttpResponse<String> again = http.send(HttpRequest.newBuilder(
                        URI.create(registry.confluentApiUrl() + "/subjects/prompts-value/versions"))
                .header("Content-Type", CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(again.body().contains("\"id\":" + id) || again.body().contains("\"id\" : " + id), again.body());
    }

    @Test
    void urlsAndLog() {
        assertTrue(registry.url().startsWith("http://127.0.0.1:"), registry.url());
        assertEquals(registry.url() + "/apis/ccompat/v7", registry.confluentApiUrl());
        assertTrue(java.nio.file.Files.isRegularFile(registry.logFile()), registry.logFile().toString());
    }

    private static String jsonString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
