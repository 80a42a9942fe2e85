package io.latentflow.schemas;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Writes values in the Confluent wire format: magic byte 0, the writer schema's registry id as 4 bytes big-endian,
 * then the Avro binary body. The writer schema is registered (auto-register on) or looked up (off) under the
 * subject of the TopicNameStrategy: {@code <topic>-value} or {@code <topic>-key}.
 *
 * <p>Values: SpecificRecords, GenericRecords and other {@link GenericContainer}s, and the Avro primitives
 * (CharSequence, Integer, Long, Float, Double, Boolean, byte[], ByteBuffer). {@code null} serializes to {@code null}
 * (a Kafka tombstone).
 *
 * <p>Serializable: it holds a {@link RegistryConfig} and creates its client lazily, so Flink can ship it. Thread-safe.
 */
public class ConfluentAvroSerializer<T> implements Serializable, AutoCloseable {

  private static final long serialVersionUID = 1L;
  static final byte MAGIC_BYTE = 0;

  private final LazyRegistryClient registry;
  private final boolean autoRegister;
  private transient Map<Schema, DatumWriter<Object>> writers;

  /** Creates its own REST client (lazily) from {@code config}. */
  public ConfluentAvroSerializer(RegistryConfig config, boolean autoRegister) {
    this.registry = new LazyRegistryClient(Objects.requireNonNull(config, "config"), null, "serializer");
    this.autoRegister = autoRegister;
  }

  /** Uses {@code client} (not closed by {@link #close()}); an instance built this way is not usable after Java
   * serialization. */
  public ConfluentAvroSerializer(SchemaRegistryClient client, boolean autoRegister) {
    this.registry = new LazyRegistryClient(null, Objects.requireNonNull(client, "client"), "serializer");
    this.autoRegister = autoRegister;
  }

  /** TopicNameStrategy: {@code <topic>-key} or {@code <topic>-value}. */
  public static String subjectName(String topic, boolean isKey) {
    return topic + (isKey ? "-key" : "-value");
  }

  public boolean autoRegister() {
    return autoRegister;
  }

  /** Serializes {@code value} for {@code topic} under the TopicNameStrategy subject. */
  public byte[] serialize(String topic, boolean isKey, T value) {
    return serializeToSubject(subjectName(topic, isKey), value);
  }

  /** Serializes {@code value} with its writer schema registered (or looked up) under {@code subject}. */
  public byte[] serializeToSubject(String subject, T value) {
    if (value == null) {
      return null;
    }
    Schema schema = schemaOf(value);
    SchemaRegistryClient c = client();
    int id = autoRegister ? c.register(subject, schema) : c.lookupId(subject, schema);
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    out.write(MAGIC_BYTE);
    out.write(id >>> 24);
    out.write(id >>> 16);
    out.write(id >>> 8);
    out.write(id);
    try {
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      writer(schema, value).write(value, encoder);
      encoder.flush();
    } catch (IOException | RuntimeException e) {
      throw new WireFormatException(WireFormatException.Reason.ENCODING_FAILED, id, "cannot encode "
          + value.getClass().getName() + " with schema " + schema.getFullName() + " (id " + id + ") for subject '"
          + subject + "': " + e, e);
    }
    return out.toByteArray();
  }

  /** The writer schema of a value. */
  static Schema schemaOf(Object value) {
    if (value instanceof GenericContainer container) {
      return container.getSchema();
    }
    Schema.Type type;
    if (value instanceof CharSequence) {
      type = Schema.Type.STRING;
    } else if (value instanceof Integer) {
      type = Schema.Type.INT;
    } else if (value instanceof Long) {
      type = Schema.Type.LONG;
    } else if (value instanceof Float) {
      type = Schema.Type.FLOAT;
    } else if (value instanceof Double) {
      type = Schema.Type.DOUBLE;
    } else if (value instanceof Boolean) {
      type = Schema.Type.BOOLEAN;
    } else if (value instanceof byte[] || value instanceof ByteBuffer) {
      type = Schema.Type.BYTES;
    } else {
      throw new WireFormatException(WireFormatException.Reason.ENCODING_FAILED, WireFormatException.NO_SCHEMA_ID,
          "cannot serialize " + value.getClass().getName() + " as Avro: not a GenericContainer (SpecificRecord, "
              + "GenericRecord) nor an Avro primitive");
    }
    return Schema.create(type);
  }

  @SuppressWarnings("unchecked")
  private DatumWriter<Object> writer(Schema schema, Object value) {
    Map<Schema, DatumWriter<Object>> cache = writers;
    if (cache == null) {
      synchronized (this) {
        if (writers == null) {
          writers = new ConcurrentHashMap<>();
        }
        cache = writers;
      }
    }
    DatumWriter<Object> w = cache.get(schema);
    if (w == null) {
      if (value instanceof SpecificRecord) {
        w = (DatumWriter<Object>) (DatumWriter<?>) new SpecificDatumWriter<>(schema,
            SpecificData.getForClass(value.getClass()));
      } else if (value instanceof byte[]) {
        DatumWriter<Object> bytes = new GenericDatumWriter<>(schema, GenericData.get());
        w = new DatumWriter<>() {
          @Override
          public void setSchema(Schema s) {
          }

          @Override
          public void write(Object datum, org.apache.avro.io.Encoder out) throws IOException {
            bytes.write(datum instanceof byte[] b ? ByteBuffer.wrap(b) : datum, out);
          }
        };
      } else {
        w = new GenericDatumWriter<>(schema, GenericData.get());
      }
      cache.putIfAbsent(schema, w);
    }
    return w;
  }

  /** The registry client, created from the config on first use. */
  public SchemaRegistryClient client() {
    return registry.get();
  }

  /** Closes the client if this serializer created it. */
  @Override
  public void close() {
    registry.close();
  }
}
