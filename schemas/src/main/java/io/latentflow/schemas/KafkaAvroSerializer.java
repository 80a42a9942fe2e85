package io.latentflow.schemas;

import java.util.Map;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka {@link Serializer} for the Confluent Avro wire format. Configured from {@value RegistryConfig#URL_CONFIG},
 * {@value RegistryConfig#BASIC_AUTH_USER_INFO_CONFIG}, the timeouts of {@link RegistryConfig} and
 * {@value #AUTO_REGISTER_SCHEMAS} (default true), unless it was built around a client.
 */
public class KafkaAvroSerializer<T> implements Serializer<T> {

  /** Register the writer schema when it is not yet registered (default true); otherwise only look it up. */
  public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";

  private final SchemaRegistryClient givenClient;
  private ConfluentAvroSerializer<T> delegate;
  private boolean isKey;

  /** For Kafka's class-name configuration; call {@link #configure(Map, boolean)}. */
  public KafkaAvroSerializer() {
    this.givenClient = null;
  }

  /** Around a client that this serializer does not close; {@link #configure} reads only auto.register.schemas. */
  public KafkaAvroSerializer(SchemaRegistryClient client) {
    this(client, true, false);
  }

  /** Ready to use without {@link #configure}. */
  public KafkaAvroSerializer(SchemaRegistryClient client, boolean autoRegister, boolean isKey) {
    this.givenClient = client;
    this.delegate = new ConfluentAvroSerializer<>(client, autoRegister);
    this.isKey = isKey;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    this.isKey = isKey;
    boolean autoRegister = booleanConfig(configs, AUTO_REGISTER_SCHEMAS, true);
    if (delegate != null && givenClient == null) {
      delegate.close();
    }
    delegate = givenClient != null ? new ConfluentAvroSerializer<>(givenClient, autoRegister)
        : new ConfluentAvroSerializer<>(RegistryConfig.fromProperties(configs), autoRegister);
  }

  @Override
  public byte[] serialize(String topic, T data) {
    if (delegate == null) {
      throw new IllegalStateException("KafkaAvroSerializer is not configured");
    }
    return delegate.serialize(topic, isKey, data);
  }

  @Override
  public void close() {
    if (delegate != null) {
      delegate.close();
    }
  }

  static boolean booleanConfig(Map<String, ?> configs, String name, boolean defaultValue) {
    Object v = configs.get(name);
    if (v == null) {
      return defaultValue;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    String s = v.toString().strip();
    if (s.equalsIgnoreCase("true")) {
      return true;
    }
    if (s.equalsIgnoreCase("false")) {
      return false;
    }
    throw new IllegalArgumentException(name + " must be true or false: " + v);
  }
}
