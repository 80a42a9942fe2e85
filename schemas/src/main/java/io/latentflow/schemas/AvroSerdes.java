package io.latentflow.schemas;

import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Kafka {@link Serde}s for the Confluent Avro wire format. */
public final class AvroSerdes {

  private AvroSerdes() {
  }

  /** A serde of generated class {@code type} around a client (not closed by the serde). */
  public static <T extends SpecificRecord> Serde<T> specific(SchemaRegistryClient client, Class<T> type,
      boolean autoRegister, boolean isKey) {
    return Serdes.serdeFrom(new KafkaAvroSerializer<>(client, autoRegister, isKey),
        new KafkaAvroDeserializer<>(client, type));
  }

  /** A serde of generated class {@code type} with its own client from {@code config}. */
  public static <T extends SpecificRecord> Serde<T> specific(RegistryConfig config, Class<T> type,
      boolean autoRegister, boolean isKey) {
    Serde<T> serde = Serdes.serdeFrom(new KafkaAvroSerializer<>(), new KafkaAvroDeserializer<>());
    serde.configure(Map.of(
        RegistryConfig.URL_CONFIG, config.url(),
        RegistryConfig.BASIC_AUTH_USER_INFO_CONFIG, config.basicAuthUserInfo() == null ? "" : config.basicAuthUserInfo(),
        RegistryConfig.CONNECT_TIMEOUT_MS_CONFIG, config.connectTimeout().toMillis(),
        RegistryConfig.REQUEST_TIMEOUT_MS_CONFIG, config.requestTimeout().toMillis(),
        KafkaAvroSerializer.AUTO_REGISTER_SCHEMAS, autoRegister,
        KafkaAvroDeserializer.READER_CLASS, type), isKey);
    return serde;
  }
}
