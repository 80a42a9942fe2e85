package io.latentflow.schemas;

import org.apache.avro.Schema;

/**
 * The Avro part of the Confluent Schema Registry REST API. Implementations cache what never changes: the schema of an
 * id, and the id of a (subject, schema) pair. All methods throw {@link SchemaRegistryException} on failure.
 */
public interface SchemaRegistryClient extends AutoCloseable {

  /** Registers {@code schema} under {@code subject} (idempotent: an equal schema answers its existing id). */
  int register(String subject, Schema schema);

  /** The id of {@code schema} if it is already registered under {@code subject}; a 404 exception if not. */
  int lookupId(String subject, Schema schema);

  /** The schema with this global id (cached). */
  Schema schemaById(int id);

  /** The latest version registered under {@code subject} (not cached: it changes). */
  RegisteredSchema latest(String subject);

  /**
   * Whether {@code schema} is compatible with the latest version under {@code subject}, by the subject's compatibility
   * level. A subject with no versions yet accepts anything.
   */
  boolean isCompatible(String subject, Schema schema);

  /** Sets the subject's compatibility level (e.g. {@link Compatibility#BACKWARD}). */
  void setCompatibility(String subject, Compatibility level);

  /** The subject's own compatibility level, or null when it has none (the global default applies). */
  Compatibility getCompatibility(String subject);

  @Override
  default void close() {
  }

  /** A schema as registered under a subject. */
  record RegisteredSchema(String subject, int id, int version, Schema schema) {
  }

  /** Confluent compatibility levels. */
  enum Compatibility {
    NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE
  }
}
