package io.latentflow.schemas;

import java.io.Serializable;

/**
 * The registry client of a serializer or deserializer: either given (and then not closed here), or
 * created from a {@link RegistryConfig} on first use, so that the owner stays Serializable for Flink.
 */
final class LazyRegistryClient implements Serializable, AutoCloseable {
  private final RegistryConfig config;
  private final String owner;
  private transient volatile SchemaRegistryClient client;
  private transient volatile boolean ownsClient;

  LazyRegistryClient(RegistryConfig config, SchemaRegistryClient client, String owner) {
    if (config == null && client == null) {
      throw new NullPointerException("config or client");
    }
    this.config = config;
    this.client = client;
    this.owner = owner;
  }

  SchemaRegistryClient get() {
    SchemaRegistryClient c = client;
    if (c == null) {
      synchronized (this) {
        if (client == null) {
          if (config == null) {
            throw new IllegalStateException(owner + " was built around a client instance and cannot be used after "
                + "Java serialization; build it from a RegistryConfig instead");
          }
          client = config.newClient();
          ownsClient = true;
        }
        c = client;
      }
    }
    return c;
  }

  /** Closes the client if it was created here. */
  @Override
  public synchronized void close() {
    if (ownsClient && client != null) {
      client.close();
      client = null;
      ownsClient = false;
    }
  }
}
