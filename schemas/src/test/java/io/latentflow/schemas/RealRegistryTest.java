package io.latentflow.schemas;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the tests that need a real Confluent-REST registry (no mocks). The URL comes from the system property
 * {@value #PROPERTY}, e.g. {@code -Dlatentflow.registry.url=http://127.0.0.1:18080/apis/ccompat/v7} for Apicurio;
 * without it the tests are skipped.
 */
abstract class RealRegistryTest {

  static final String PROPERTY = "latentflow.registry.url";

  @BeforeAll
  static void requireRegistry() {
    assumeTrue(registryUrl() != null, "no registry: set -D" + PROPERTY + "=<Confluent-compatible base URL>");
  }

  /** The registry URL, or null when not configured. */
  static String registryUrl() {
    String url = System.getProperty(PROPERTY);
    return url == null || url.isBlank() || url.startsWith("${") ? null : url.strip();
  }

  static RegistryConfig config() {
    return RegistryConfig.of(registryUrl());
  }

  /** A subject name no other test run used (the registry keeps its state between runs). */
  static String uniqueSubject(String base) {
    return base + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** A real REST client that records every request it sends. */
  static final class CountingClient extends RestSchemaRegistryClient {
    final List<String> requests = new CopyOnWriteArrayList<>();

    CountingClient(RegistryConfig config) {
      super(config);
    }

    @Override
    protected HttpResponse<String> send(HttpRequest request) throws java.io.IOException, InterruptedException {
      requests.add(request.method() + " " + request.uri());
      return super.send(request);
    }
  }
}
