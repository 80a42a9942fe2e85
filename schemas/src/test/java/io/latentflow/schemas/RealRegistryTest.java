package io.latentflow.schemas;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the tests that need a real Confluent-REST registry (no mocks). By default they run against the real
 * Apicurio Registry, started once per test JVM ({@link SharedRegistry}); the system property {@value #PROPERTY}
 * points them at another server instead, e.g. {@code -Dlatentflow.registry.url=http://127.0.0.1:8081} for
 * Confluent's. They never skip: a registry that cannot be started (within its 120 s start timeout) fails them.
 */
abstract class RealRegistryTest {

  static final String PROPERTY = "latentflow.registry.url";

  @BeforeAll
  static void startRegistry() {
    SharedRegistry.url();
  }

  /** The registry's Confluent-compatible base URL. */
  static String registryUrl() {
    return SharedRegistry.url();
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
