package io.latentflow.schemas;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A payload that is not a valid Confluent Avro record for this reader, or a value that cannot be written as one. It
 * is a Kafka {@link SerializationException}, so Kafka clients treat it as such; {@link #reason()} tells pipelines what
 * was wrong (e.g. to route poison records to a dead-letter topic). Registry outages are not payload problems: they
 * surface as {@link SchemaRegistryException}, which may pass on retry.
 */
public class WireFormatException extends SerializationException {

  /** What was wrong. */
  public enum Reason {
    /** Fewer than 5 bytes (magic byte + schema id). */
    TOO_SHORT,
    /** First byte is not 0. */
    BAD_MAGIC_BYTE,
    /** The registry does not know the schema id. */
    UNKNOWN_SCHEMA_ID,
    /** The Avro body is truncated, garbled, or has bytes left after the record. */
    BAD_AVRO_BODY,
    /** The writer schema cannot be read with the reader schema. */
    INCOMPATIBLE_SCHEMA,
    /** The writer schema is not what this deserializer can produce (no record, no generated class). */
    UNSUPPORTED_SCHEMA,
    /** A value could not be encoded (serializer side). */
    ENCODING_FAILED
  }

  /** {@link #schemaId()} when the payload had no id. */
  public static final int NO_SCHEMA_ID = -1;

  private final Reason reason;
  private final int schemaId;

  public WireFormatException(Reason reason, int schemaId, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
    this.schemaId = schemaId;
  }

  public WireFormatException(Reason reason, int schemaId, String message) {
    this(reason, schemaId, message, null);
  }

  public Reason reason() {
    return reason;
  }

  /** The schema id read from the payload, or {@link #NO_SCHEMA_ID}. */
  public int schemaId() {
    return schemaId;
  }
}
