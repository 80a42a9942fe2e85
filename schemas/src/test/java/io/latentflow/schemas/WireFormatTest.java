package io.latentflow.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentflow.schemas.WireFormatException.Reason;
import io.latentflow.schemas.avro.GameEvent;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/**
 * Every way a payload can be bad, with the exact message (no server: the registry is a tiny in-memory stand-in; the
 * real-registry paths are in {@link SerdeRoundTripTest}).
 */
class WireFormatTest {

  /** Minimal in-memory stand-in: ids by registration order, 404 for unknown ids. */
  static final class FakeRegistry implements SchemaRegistryClient {
    final Map<Integer, Schema> byId = new HashMap<>();

    @Override
    public int register(String subject, Schema schema) {
      for (Map.Entry<Integer, Schema> e : byId.entrySet()) {
        if (e.getValue().equals(schema)) {
          return e.getKey();
        }
      }
      byId.put(byId.size() + 1, schema);
      return byId.size();
    }

    @Override
    public int lookupId(String subject, Schema schema) {
      return register(subject, schema);
    }

    @Override
    public Schema schemaById(int id) {
      Schema s = byId.get(id);
      if (s == null) {
        throw new SchemaRegistryException("cannot fetch schema id " + id, "GET", "fake://registry/schemas/ids/" + id,
            404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found", null);
      }
      return s;
    }

    @Override
    public RegisteredSchema latest(String subject) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void setCompatibility(String subject, Compatibility level) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Compatibility getCompatibility(String subject) {
      throw new UnsupportedOperationException();
    }
  }

  final FakeRegistry registry = new FakeRegistry();
  final ConfluentAvroDeserializer<GameEvent> games = ConfluentAvroDeserializer.specific(registry, GameEvent.class);

  byte[] validGame() {
    return new ConfluentAvroSerializer<GameEvent>(registry, true).serialize("games", false, Samples.game());
  }

  static byte[] payload(int id, int... body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {0, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id});
    for (int b : body) {
      out.write(b);
    }
    return out.toByteArray();
  }

  WireFormatException fails(ConfluentAvroDeserializer<?> d, byte[] payload, Reason reason, String message) {
    WireFormatException e = assertThrows(WireFormatException.class, () -> d.deserialize(payload));
    assertEquals(message, e.getMessage());
    assertEquals(reason, e.reason());
    assertTrue(e instanceof SerializationException, "a Kafka SerializationException");
    return e;
  }

  @Test
  void validPayloadDecodes() {
    byte[] bytes = validGame();
    assertEquals(Samples.game(), games.deserialize(bytes));
    assertEquals(1, ConfluentAvroDeserializer.schemaIdOf(bytes));
  }

  @Test
  void tooShort() {
    fails(games, new byte[0], Reason.TOO_SHORT,
        "0 bytes, a Confluent Avro payload needs at least 5 (magic byte 0 and a 4-byte schema id)");
    fails(games, new byte[1], Reason.TOO_SHORT,
        "1 byte, a Confluent Avro payload needs at least 5 (magic byte 0 and a 4-byte schema id)");
    fails(games, new byte[3], Reason.TOO_SHORT,
        "3 bytes, a Confluent Avro payload needs at least 5 (magic byte 0 and a 4-byte schema id)");
  }

  @Test
  void wrongMagicByte() {
    byte[] bytes = validGame();
    bytes[0] = 1;
    fails(games, bytes, Reason.BAD_MAGIC_BYTE, "unknown magic byte 0x01, a Confluent Avro payload starts with 0x00");
    fails(games, "{\"player_id\":\"p\"}".getBytes(), Reason.BAD_MAGIC_BYTE,
        "unknown magic byte 0x7b (looks like JSON), a Confluent Avro payload starts with 0x00");
    fails(games, new byte[] {(byte) 0xff, 0, 0, 0, 1}, Reason.BAD_MAGIC_BYTE,
        "unknown magic byte 0xff, a Confluent Avro payload starts with 0x00");
  }

  @Test
  void unknownSchemaId() {
    validGame();
    WireFormatException e = fails(games, payload(99, 0), Reason.UNKNOWN_SCHEMA_ID,
        "unknown schema id 99: the registry answered HTTP 404 error_code 40403 \"Schema 99 not found\" "
            + "(GET fake://registry/schemas/ids/99)");
    assertEquals(99, e.schemaId());
    assertTrue(e.getCause() instanceof SchemaRegistryException);
  }

  @Test
  void truncatedBody() {
    byte[] bytes = validGame();
    byte[] cut = Arrays.copyOf(bytes, bytes.length - 3);
    // the last field, event_time, is a 6-byte varint: 3 of its bytes are gone
    fails(games, cut, Reason.BAD_AVRO_BODY, "Avro body of writer schema id 1 (io.latentflow.schemas.avro.GameEvent) "
        + "is truncated: long at byte " + cut.length + " needs 1 more byte but none are left");
    fails(games, Arrays.copyOf(bytes, 5), Reason.BAD_AVRO_BODY, "Avro body of writer schema id 1 "
        + "(io.latentflow.schemas.avro.GameEvent) is truncated: long at byte 5 needs 1 more byte but none are left");
  }

  @Test
  void corruptLengthsNeverAllocate() {
    validGame();
    // player_id claims 2^30 bytes (zig-zag varint 0x80 0x80 0x80 0x80 0x08)
    fails(games, payload(1, 0x80, 0x80, 0x80, 0x80, 0x08, 'a'), Reason.BAD_AVRO_BODY,
        "Avro body of writer schema id 1 (io.latentflow.schemas.avro.GameEvent) is truncated: string at byte 5 has "
            + "length 1073741824 but only 1 bytes are left");
    fails(games, payload(1, 0x01), Reason.BAD_AVRO_BODY,
        "Avro body of writer schema id 1 (io.latentflow.schemas.avro.GameEvent) is garbled: IOException: string at "
            + "byte 5 has a negative length -1");
    fails(games, payload(1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01), Reason.BAD_AVRO_BODY,
        "Avro body of writer schema id 1 (io.latentflow.schemas.avro.GameEvent) is garbled: IOException: invalid "
            + "long varint at byte 5: longer than 10 bytes");

    Schema arrays = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Arr\",\"fields\":["
        + "{\"name\":\"xs\",\"type\":{\"type\":\"array\",\"items\":\"long\"}}]}");
    int id = registry.register("arr-value", arrays);
    ConfluentAvroDeserializer<GenericRecord> generic = ConfluentAvroDeserializer.generic(registry, null);
    // a block of 2^30 items in a 2-byte body
    fails(generic, payload(id, 0x80, 0x80, 0x80, 0x80, 0x08, 0x02), Reason.BAD_AVRO_BODY,
        "Avro body of writer schema id 2 (Arr) is truncated: array block at byte 5 claims 1073741824 items but only "
            + "1 bytes are left (and at most 10006 more array items fit in this payload)");
  }

  /** Many blocks of nulls, each within a per-block bound (ConfluentAvroFuzzTest input array_of_nulls_blocks). */
  @Test
  void zeroByteItemsAreBoundedPerPayloadNotPerBlock() {
    Schema nulls = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Nulls\",\"fields\":["
        + "{\"name\":\"n\",\"type\":{\"type\":\"array\",\"items\":\"null\"}}]}");
    int id = registry.register("nulls-value", nulls);
    ConfluentAvroDeserializer<GenericRecord> generic = ConfluentAvroDeserializer.generic(registry, null);
    int[] body = new int[3 * 100_000 + 1]; // 100 000 blocks of 20 000 nulls: 2 billion items in 300 KB
    for (int b = 0; b < 100_000; b++) {
      body[3 * b] = 0xc0;
      body[3 * b + 1] = 0xb8;
      body[3 * b + 2] = 0x02; // zig-zag varint of 20 000
    }
    long t0 = System.nanoTime();
    fails(generic, payload(id, body), Reason.BAD_AVRO_BODY, "Avro body of writer schema id "
        + id + " (Nulls) is truncated: array block at byte 50 claims 20000 items but only 299953 bytes are left (and "
        + "at most 10001 more array items fit in this payload)");
    assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "bounded work");
    // up to the allowance, zero-byte items are fine
    GenericRecord ok = generic.deserialize(payload(id, 0xa0, 0x9c, 0x01, 0x00));
    assertEquals(10_000, ((java.util.List<?>) ok.get("n")).size());
  }

  @Test
  void invalidUtf8InAStringIsRejectedNotReplaced() {
    validGame();
    // player_id: 2 bytes 0xc3 0x28 (a 2-byte lead followed by '(': Avro alone would decode it as U+FFFD)
    fails(games, payload(1, 0x04, 0xc3, 0x28), Reason.BAD_AVRO_BODY, "Avro body of writer schema id 1 "
        + "(io.latentflow.schemas.avro.GameEvent) is garbled: IOException: string of 2 bytes at byte 6 is not valid "
        + "UTF-8: byte 0xc3 at byte 6");
    fails(ConfluentAvroDeserializer.generic(registry, null), payload(1, 0x06, 'o', 'k', 0xff), Reason.BAD_AVRO_BODY,
        "Avro body of writer schema id 1 (io.latentflow.schemas.avro.GameEvent) is garbled: IOException: string of "
            + "3 bytes at byte 6 is not valid UTF-8: byte 0xff at byte 8");
  }

  @Test
  void utf8Validation() {
    for (String ok : new String[] {"", "ascii", "äöü", "€", "✓", "\uD83D\uDE00 emoji", "\u0000"}) {
      byte[] b = ok.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      assertEquals(-1, BoundedBinaryDecoder.firstInvalidUtf8(b, 0, b.length), ok);
    }
    int[][] bad = {{0x80}, {0xc0, 0xaf}, {0xc1, 0xbf}, {0xe0, 0x80, 0xaf}, {0xed, 0xa0, 0x80}, {0xf4, 0x90, 0x80, 0x80},
        {0xf5, 0x80, 0x80, 0x80}, {'a', 0xe2, 0x82}, {0xc3}, {0xc3, 0x28}};
    int[] at = {0, 0, 0, 0, 0, 0, 0, 1, 0, 0};
    for (int i = 0; i < bad.length; i++) {
      byte[] b = new byte[bad[i].length];
      for (int k = 0; k < b.length; k++) {
        b[k] = (byte) bad[i][k];
      }
      assertEquals(at[i], BoundedBinaryDecoder.firstInvalidUtf8(b, 0, b.length), Arrays.toString(bad[i]));
    }
  }

  @Test
  void enumIndexOutOfRange() {
    Schema s = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"R\",\"fields\":["
        + "{\"name\":\"e\",\"type\":{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"B\"]}}]}");
    int id = registry.register("r-value", s);
    WireFormatException e = assertThrows(WireFormatException.class,
        () -> ConfluentAvroDeserializer.generic(registry, null).deserialize(payload(id, 0x0e)));
    assertEquals(Reason.BAD_AVRO_BODY, e.reason());
    assertTrue(e.getMessage().startsWith("Avro body of writer schema id " + id + " (R) is garbled"), e.getMessage());
  }

  @Test
  void garbledUnionIndex() {
    Schema s = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"U\",\"fields\":["
        + "{\"name\":\"u\",\"type\":[\"null\",\"string\"]}]}");
    int id = registry.register("u-value", s);
    WireFormatException e = fails(ConfluentAvroDeserializer.generic(registry, null), payload(id, 0x0a),
        Reason.BAD_AVRO_BODY, "Avro body of writer schema id 1 (U) is garbled: "
            + "ArrayIndexOutOfBoundsException: Index 5 out of bounds for length 2");
    assertTrue(e.getCause() instanceof ArrayIndexOutOfBoundsException);
  }

  @Test
  void trailingBytes() {
    byte[] bytes = validGame();
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 2);
    fails(games, longer, Reason.BAD_AVRO_BODY, "Avro body of writer schema id 1 (io.latentflow.schemas.avro.GameEvent) "
        + "is garbled: 2 bytes left over after the record ended at byte " + bytes.length + " of " + longer.length);
  }

  @Test
  void incompatibleWriter() {
    Schema other = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"GameEvent\","
        + "\"namespace\":\"io.latentflow.schemas.avro\",\"fields\":[{\"name\":\"player_id\",\"type\":\"long\"}]}");
    GenericRecord r = new GenericData.Record(other);
    r.put("player_id", 5L);
    byte[] bytes = new ConfluentAvroSerializer<GenericRecord>(registry, true).serialize("games", false, r);
    WireFormatException e = assertThrows(WireFormatException.class, () -> games.deserialize(bytes));
    assertEquals(Reason.INCOMPATIBLE_SCHEMA, e.reason());
    assertTrue(e.getMessage().startsWith("writer schema id 1 (io.latentflow.schemas.avro.GameEvent) is incompatible "
        + "with the reader schema io.latentflow.schemas.avro.GameEvent: TYPE_MISMATCH at /fields/0/type: "),
        e.getMessage());
    assertTrue(e.getMessage().contains("READER_FIELD_MISSING_DEFAULT"), e.getMessage());
  }

  @Test
  void genericReaderNeedsARecordAndSpecificReaderAClass() {
    int stringId = registry.register("s-value", Schema.create(Schema.Type.STRING));
    fails(ConfluentAvroDeserializer.generic(registry, null), payload(stringId, 0x02, 'a'), Reason.UNSUPPORTED_SCHEMA,
        "writer schema id 1 is a string, not a record");
    Schema unknown = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Nope\",\"namespace\":\"x.y\","
        + "\"fields\":[]}");
    int id = registry.register("n-value", unknown);
    fails(ConfluentAvroDeserializer.specificFromWriter(registry), payload(id), Reason.UNSUPPORTED_SCHEMA,
        "writer schema id 2 (x.y.Nope) has no generated SpecificRecord class on the classpath");
  }

  @Test
  void encodingFailureIsNamed() {
    Schema s = GameEvent.getClassSchema();
    GenericRecord incomplete = new GenericData.Record(s);
    incomplete.put("player_id", "p");
    WireFormatException e = assertThrows(WireFormatException.class,
        () -> new ConfluentAvroSerializer<GenericRecord>(registry, true).serialize("games", false, incomplete));
    assertEquals(Reason.ENCODING_FAILED, e.reason());
    assertTrue(e.getMessage().startsWith("cannot encode org.apache.avro.generic.GenericData$Record with schema "
        + "io.latentflow.schemas.avro.GameEvent (id 1) for subject 'games-value': "), e.getMessage());
  }
}
