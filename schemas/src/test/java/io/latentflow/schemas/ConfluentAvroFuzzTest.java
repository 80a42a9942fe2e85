package io.latentflow.schemas;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.latentflow.schemas.avro.LogisticsEvent;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Fuzzes {@link ConfluentAvroDeserializer} on arbitrary payloads, read three ways (generic with the writer schema,
 * the generated class, generic resolved to a reader schema) against a fixed in-process registry (no network):
 * id 1 is LogisticsEvent, id 2 a record with every Avro type (recursive), id 3 a plain string. The only allowed
 * failure is a {@link WireFormatException}: no IndexOutOfBounds, OutOfMemory, StackOverflow or hang escapes.
 * Plain {@code mvn test} replays {@code ConfluentAvroFuzzTestInputs/fuzz/}; {@code JAZZER_FUZZ=1} fuzzes (README).
 */
class ConfluentAvroFuzzTest {
  static final Schema ALL_TYPES = new Schema.Parser().parse("""
      {"type": "record", "name": "All", "fields": [
        {"name": "b", "type": "boolean"}, {"name": "i", "type": "int"}, {"name": "l", "type": "long"},
        {"name": "f", "type": "float"}, {"name": "d", "type": "double"}, {"name": "by", "type": "bytes"},
        {"name": "s", "type": "string"}, {"name": "fx", "type": {"type": "fixed", "name": "F4", "size": 4}},
        {"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A", "B", "C"]}},
        {"name": "a", "type": {"type": "array", "items": "string"}},
        {"name": "n", "type": {"type": "array", "items": "null"}},
        {"name": "m", "type": {"type": "map", "values": "long"}},
        {"name": "next", "type": ["null", "All"], "default": null}]}""");

  private static final List<ConfluentAvroDeserializer<?>> READERS;

  static {
    WireFormatTest.FakeRegistry registry = new WireFormatTest.FakeRegistry();
    registry.register("logistics-value", LogisticsEvent.getClassSchema());
    registry.register("all-value", ALL_TYPES);
    registry.register("string-value", Schema.create(Schema.Type.STRING));
    READERS = List.of(
        ConfluentAvroDeserializer.generic(registry, null),
        ConfluentAvroDeserializer.specific(registry, LogisticsEvent.class),
        ConfluentAvroDeserializer.generic(registry, LogisticsEvent.getClassSchema()));
  }

  @FuzzTest(maxDuration = "2m")
  void fuzz(FuzzedDataProvider data) {
    byte[] payload = data.consumeRemainingAsBytes();
    for (ConfluentAvroDeserializer<?> reader : READERS) {
      try {
        reader.deserialize(payload);
      } catch (WireFormatException expected) {
        if (expected.getMessage() == null || expected.getMessage().isBlank()) {
          throw new AssertionError("no message for " + expected.reason());
        }
      }
    }
  }
}
