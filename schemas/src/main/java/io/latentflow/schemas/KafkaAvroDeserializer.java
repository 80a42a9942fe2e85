package io.latentflow.schemas;

import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka {@link Deserializer} for the Confluent Avro wire format. Configured from {@value RegistryConfig#URL_CONFIG},
 * {@value RegistryConfig#BASIC_AUTH_USER_INFO_CONFIG}, the timeouts of {@link RegistryConfig}, and:
 * <ul>
 *   <li>{@value #SPECIFIC_AVRO_READER} (default false): read into the generated class of each writer schema instead
 *   of GenericRecord;</li>
 *   <li>{@value #READER_CLASS}: a generated class to read every record into (its schema is the reader schema).</li>
 * </ul>
 * Bad payloads throw {@link WireFormatException} (a Kafka SerializationException).
 */
public class KafkaAvroDeserializer<T> implements Deserializer<T> {

  public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
  /** Fully qualified name of a generated SpecificRecord class to read into. */
  public static final String READER_CLASS = "latentflow.avro.reader.class";

  private final SchemaRegistryClient givenClient;
  private ConfluentAvroDeserializer<?> delegate;

  /** For Kafka's class-name configuration; call {@link #configure(Map, boolean)}. */
  public KafkaAvroDeserializer() {
    this.givenClient = null;
  }

  /** Around a client that this deserializer does not close; {@link #configure} reads the reader settings only. */
  public KafkaAvroDeserializer(SchemaRegistryClient client) {
    this.givenClient = client;
    this.delegate = ConfluentAvroDeserializer.generic(client, null);
  }

  /** Ready to use without {@link #configure}: reads into {@code type}. */
  public KafkaAvroDeserializer(SchemaRegistryClient client, Class<? extends SpecificRecord> type) {
    this.givenClient = client;
    this.delegate = ConfluentAvroDeserializer.specific(client, type);
  }

  @Override
  @SuppressWarnings("unchecked")
  public void configure(Map<String, ?> configs, boolean isKey) {
    boolean specific = KafkaAvroSerializer.booleanConfig(configs, SPECIFIC_AVRO_READER, false);
    Object className = configs.get(READER_CLASS);
    Class<? extends SpecificRecord> type = null;
    if (className instanceof Class<?> c) {
      type = asSpecific(c);
    } else if (className != null && !className.toString().isBlank()) {
      try {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        type = asSpecific(Class.forName(className.toString().strip(), true,
            loader != null ? loader : KafkaAvroDeserializer.class.getClassLoader()));
      } catch (ClassNotFoundException e) {
        throw new IllegalArgumentException(READER_CLASS + ": class not found: " + className, e);
      }
    }
    if (delegate != null && givenClient == null) {
      delegate.close();
    }
    if (givenClient != null) {
      delegate = type != null ? ConfluentAvroDeserializer.specific(givenClient, type)
          : specific ? ConfluentAvroDeserializer.specificFromWriter(givenClient)
          : ConfluentAvroDeserializer.generic(givenClient, null);
    } else {
      RegistryConfig config = RegistryConfig.fromProperties(configs);
      delegate = type != null ? ConfluentAvroDeserializer.specific(config, type)
          : specific ? ConfluentAvroDeserializer.specificFromWriter(config)
          : ConfluentAvroDeserializer.generic(config, null);
    }
  }

  @SuppressWarnings("unchecked")
  private static Class<? extends SpecificRecord> asSpecific(Class<?> c) {
    if (!SpecificRecord.class.isAssignableFrom(c)) {
      throw new IllegalArgumentException(READER_CLASS + ": " + c.getName() + " is not a SpecificRecord");
    }
    return (Class<? extends SpecificRecord>) c;
  }

  @Override
  @SuppressWarnings("unchecked")
  public T deserialize(String topic, byte[] data) {
    if (delegate == null) {
      throw new IllegalStateException("KafkaAvroDeserializer is not configured");
    }
    return (T) delegate.deserialize(data);
  }

  @Override
  public void close() {
    if (delegate != null) {
      delegate.close();
    }
  }
}
