package io.latentflow.schemas;

import io.latentflow.embedded.EmbeddedApicurio;

/**
 * The registry the tests of this JVM share: the URL given by {@value RealRegistryTest#PROPERTY}, or else one real
 * Apicurio Registry ({@link EmbeddedApicurio}, a child JVM) started on first use and stopped by a shutdown hook
 * when the test JVM exits. One server for all test classes: it takes seconds to start, and every test uses
 * subjects of its own, so they do not see each other's state.
 */
final class SharedRegistry {
  private static EmbeddedApicurio embedded;
  private static String url;

  private SharedRegistry() {
  }

  /** The Confluent-compatible base URL, starting the embedded registry if no URL was configured. */
  static synchronized String url() {
    if (url == null) {
      String configured = configured();
      url = configured != null ? configured : startEmbedded();
      System.err.println("registry tests run against " + url + (embedded != null ? " (embedded Apicurio, pid "
          + embedded.pid() + ")" : " (" + RealRegistryTest.PROPERTY + ")"));
    }
    return url;
  }

  /** The configured URL, or null when the property is unset, blank or an unexpanded Maven ${...}. */
  static String configured() {
    String u = System.getProperty(RealRegistryTest.PROPERTY);
    return u == null || u.isBlank() || u.startsWith("${") ? null : u.strip();
  }

  private static String startEmbedded() {
    embedded = EmbeddedApicurio.start();
    Runtime.getRuntime().addShutdownHook(new Thread(embedded::close, "shared-registry-close"));
    return embedded.confluentApiUrl();
  }
}
