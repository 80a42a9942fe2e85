package io.latentflow.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Both services started together, as the demo does. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ServicesTest {
    @Test
    void startsBothInParallel() throws Exception {
        long t0 = System.nanoTime();
        try (Services services = Services.start()) {
            System.out.printf("Services started in %d ms: %s, %s%n", (System.nanoTime() - t0) / 1_000_000,
                    services.bootstrapServers(), services.schemaRegistryUrl());
            services.kafka().createTopic("prompts", 2);
            try (Admin admin = services.kafka().admin()) {
                assertTrue(admin.listTopics().names().get(30, TimeUnit.SECONDS).containsAll(Set.of("prompts")));
            }
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(services.schemaRegistryUrl() + "/subjects")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            t0 = System.nanoTime();
        }
        System.out.printf("Services closed in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    }
}
