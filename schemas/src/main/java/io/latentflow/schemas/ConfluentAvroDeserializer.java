package io.latentflow.schemas;

import java.io.EOFException;
import java.io.Serializable;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DatumReader;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

/**
 * Reads the Confluent wire format: magic byte 0, 4-byte big-endian schema id, Avro binary body. The writer schema is
 * fetched from the registry by id (cached) and resolved to the reader schema: a generated SpecificRecord class, the
 * class generated for the writer schema ({@code specific.avro.reader} semantics), or GenericRecord.
 *
 * <p>Every problem with the payload is a {@link WireFormatException} with a message naming what was wrong; nothing
 * raw (ArrayIndexOutOfBounds, EOF, AvroRuntimeException) escapes, and no corrupt length allocates a huge array. A
 * registry that cannot be reached throws {@link SchemaRegistryException} instead: that is not the payload's fault.
 *
 * <p>Serializable: holds a {@link RegistryConfig} and creates its client lazily, so Flink can ship it. Thread-safe.
 */
public class ConfluentAvroDeserializer<T> implements Serializable, AutoCloseable {

  private static final long serialVersionUID = 1L;
  /** Magic byte plus the 4-byte schema id. */
  public static final int HEADER_SIZE = 5;

  private enum Mode { SPECIFIC_CLASS, SPECIFIC_FROM_WRITER, GENERIC }

  private final LazyRegistryClient registry;
  private final Mode mode;
  private final Class<T> readerClass;
  private final String genericReaderSchema;
  private transient volatile Map<Integer, Reader> readers;
  private transient volatile Schema parsedGenericReader;

  private ConfluentAvroDeserializer(RegistryConfig config, SchemaRegistryClient client, Mode mode,
      Class<T> readerClass, Schema genericReader) {
    this.registry = new LazyRegistryClient(config, client, "deserializer");
    this.mode = mode;
    this.readerClass = readerClass;
    this.genericReaderSchema = genericReader == null ? null : genericReader.toString();
    this.parsedGenericReader = genericReader;
  }

  /** Reads into the generated class {@code type} (its schema is the reader schema). */
  public static <T extends SpecificRecord> ConfluentAvroDeserializer<T> specific(RegistryConfig config, Class<T> type) {
    return new ConfluentAvroDeserializer<>(config, null, Mode.SPECIFIC_CLASS, Objects.requireNonNull(type), null);
  }

  /** As {@link #specific(RegistryConfig, Class)} around a given client (not closed by {@link #close()}). */
  public static <T extends SpecificRecord> ConfluentAvroDeserializer<T> specific(SchemaRegistryClient client,
      Class<T> type) {
    return new ConfluentAvroDeserializer<>(null, client, Mode.SPECIFIC_CLASS, Objects.requireNonNull(type), null);
  }

  /** Reads each payload into the generated class named by its writer schema ({@code specific.avro.reader=true}). */
  public static ConfluentAvroDeserializer<SpecificRecord> specificFromWriter(RegistryConfig config) {
    return new ConfluentAvroDeserializer<>(config, null, Mode.SPECIFIC_FROM_WRITER, null, null);
  }

  public static ConfluentAvroDeserializer<SpecificRecord> specificFromWriter(SchemaRegistryClient client) {
    return new ConfluentAvroDeserializer<>(null, client, Mode.SPECIFIC_FROM_WRITER, null, null);
  }

  /**
   * Reads GenericRecords; with a {@code readerSchema} they are resolved to it, with null they keep the writer
   * schema.
   */
  public static ConfluentAvroDeserializer<GenericRecord> generic(RegistryConfig config, Schema readerSchema) {
    return new ConfluentAvroDeserializer<>(config, null, Mode.GENERIC, null, readerSchema);
  }

  public static ConfluentAvroDeserializer<GenericRecord> generic(SchemaRegistryClient client, Schema readerSchema) {
    return new ConfluentAvroDeserializer<>(null, client, Mode.GENERIC, null, readerSchema);
  }

  /** The schema id of a payload, after checking its header; {@code null} for a null payload. */
  public static Integer schemaIdOf(byte[] payload) {
    if (payload == null) {
      return null;
    }
    checkHeader(payload);
    return readId(payload);
  }

  /** Decodes one payload; {@code null} (a tombstone) decodes to {@code null}. */
  public T deserialize(byte[] payload) {
    if (payload == null) {
      return null;
    }
    checkHeader(payload);
    int id = readId(payload);
    Reader reader = reader(id);
    if (reader.failure != null) {
      throw reader.failure;
    }
    BoundedBinaryDecoder decoder = new BoundedBinaryDecoder(payload, HEADER_SIZE, payload.length - HEADER_SIZE, 0);
    Object value;
    try {
      value = reader.datumReader.read(null, decoder);
    } catch (EOFException e) {
      throw badBody(id, reader, "truncated: " + e.getMessage(), e);
    } catch (Exception | StackOverflowError e) {
      throw badBody(id, reader, "garbled: " + describe(e), e);
    }
    if (decoder.remaining() > 0) {
      throw badBody(id, reader, "garbled: " + decoder.remaining() + " bytes left over after the record ended at byte "
          + decoder.position() + " of " + payload.length, null);
    }
    @SuppressWarnings("unchecked")
    T result = (T) value;
    return result;
  }

  private static void checkHeader(byte[] payload) {
    if (payload.length < HEADER_SIZE) {
      throw new WireFormatException(WireFormatException.Reason.TOO_SHORT, WireFormatException.NO_SCHEMA_ID,
          payload.length + (payload.length == 1 ? " byte" : " bytes") + ", a Confluent Avro payload needs at least "
              + HEADER_SIZE + " (magic byte 0 and a 4-byte schema id)");
    }
    if (payload[0] != ConfluentAvroSerializer.MAGIC_BYTE) {
      int b = payload[0] & 0xff;
      String hint = b == '{' || b == '[' ? " (looks like JSON)" : "";
      throw new WireFormatException(WireFormatException.Reason.BAD_MAGIC_BYTE, WireFormatException.NO_SCHEMA_ID,
          String.format("unknown magic byte 0x%02x%s, a Confluent Avro payload starts with 0x00", b, hint));
    }
  }

  private static int readId(byte[] p) {
    return (p[1] & 0xff) << 24 | (p[2] & 0xff) << 16 | (p[3] & 0xff) << 8 | (p[4] & 0xff);
  }

  private static WireFormatException badBody(int id, Reader reader, String detail, Throwable cause) {
    return new WireFormatException(WireFormatException.Reason.BAD_AVRO_BODY, id, "Avro body of writer schema id "
        + id + " (" + reader.writer.getFullName() + ") is " + detail, cause);
  }

  private static String describe(Throwable e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  /** Resolution of one writer schema id to this deserializer's reader, or why it cannot be read. */
  private static final class Reader {
    final Schema writer;
    final DatumReader<Object> datumReader;
    final WireFormatException failure;

    Reader(Schema writer, DatumReader<Object> datumReader, WireFormatException failure) {
      this.writer = writer;
      this.datumReader = datumReader;
      this.failure = failure;
    }
  }

  private Reader reader(int id) {
    Map<Integer, Reader> cache = readers;
    if (cache == null) {
      synchronized (this) {
        if (readers == null) {
          readers = new ConcurrentHashMap<>();
        }
        cache = readers;
      }
    }
    Reader r = cache.get(id);
    if (r == null) {
      r = resolve(id);
      cache.putIfAbsent(id, r);
    }
    return r;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Reader resolve(int id) {
    Schema writer;
    try {
      writer = client().schemaById(id);
    } catch (SchemaRegistryException e) {
      if (e.isNotFound()) {
        throw new WireFormatException(WireFormatException.Reason.UNKNOWN_SCHEMA_ID, id, "unknown schema id " + id
            + ": the registry answered HTTP " + e.httpStatus()
            + (e.errorCode() == SchemaRegistryException.NO_ERROR_CODE ? "" : " error_code " + e.errorCode())
            + (e.registryMessage() == null ? "" : " \"" + e.registryMessage() + "\"") + " (" + e.method() + " "
            + e.url() + ")", e);
      }
      throw e; // the registry is unreachable or failing: not the payload's fault, may pass on retry
    }
    Schema reader;
    DatumReader<Object> datumReader;
    switch (mode) {
      case SPECIFIC_CLASS, SPECIFIC_FROM_WRITER -> {
        Class<?> type = readerClass;
        if (type == null) {
          type = writer.getType() == Schema.Type.RECORD ? SpecificData.get().getClass(writer) : null;
          if (type == null || !SpecificRecord.class.isAssignableFrom(type)) {
            return new Reader(writer, null, new WireFormatException(WireFormatException.Reason.UNSUPPORTED_SCHEMA,
                id, "writer schema id " + id + " (" + writer.getFullName() + ") has no generated SpecificRecord "
                + "class on the classpath"));
          }
        }
        SpecificData model = SpecificData.getForClass(type);
        reader = model.getSchema(type);
        datumReader = (DatumReader) new SpecificDatumReader<>(writer, reader, model);
      }
      default -> {
        if (writer.getType() != Schema.Type.RECORD) {
          return new Reader(writer, null, new WireFormatException(WireFormatException.Reason.UNSUPPORTED_SCHEMA, id,
              "writer schema id " + id + " is a " + writer.getType().getName() + ", not a record"));
        }
        reader = genericReader();
        if (reader == null) {
          reader = writer;
        }
        datumReader = new GenericDatumReader<>(writer, reader, GenericData.get());
      }
    }
    if (reader != writer) {
      SchemaCompatibility.SchemaPairCompatibility compat =
          SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
      if (compat.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
        StringBuilder why = new StringBuilder();
        for (SchemaCompatibility.Incompatibility inc : compat.getResult().getIncompatibilities()) {
          if (why.length() > 0) {
            why.append("; ");
          }
          why.append(inc.getType()).append(" at ").append(inc.getLocation()).append(": ").append(inc.getMessage());
        }
        return new Reader(writer, null, new WireFormatException(WireFormatException.Reason.INCOMPATIBLE_SCHEMA, id,
            "writer schema id " + id + " (" + writer.getFullName() + ") is incompatible with the reader schema "
                + reader.getFullName() + ": " + why));
      }
    }
    return new Reader(writer, datumReader, null);
  }

  private Schema genericReader() {
    if (genericReaderSchema == null) {
      return null;
    }
    Schema s = parsedGenericReader;
    if (s == null) {
      s = new Schema.Parser().parse(genericReaderSchema);
      parsedGenericReader = s;
    }
    return s;
  }

  /** The registry client, created from the config on first use. */
  public SchemaRegistryClient client() {
    return registry.get();
  }

  /** Closes the client if this deserializer created it. */
  @Override
  public void close() {
    registry.close();
  }
}
