package io.latentflow.schemas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentflow.schemas.avro.GameEvent;
import io.latentflow.schemas.avro.LogisticsEvent;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

/** Kafka serializer -> bytes -> Kafka deserializer through a real registry. */
class SerdeRoundTripTest extends RealRegistryTest {

  static Map<String, Object> props() {
    Map<String, Object> p = new HashMap<>();
    p.put("schema.registry.url", registryUrl());
    return p;
  }

  @Test
  void everyContractRoundTripsThroughKafkaSerdes() {
    String topic = "rt-" + UUID.randomUUID().toString().substring(0, 8);
    try (KafkaAvroSerializer<SpecificRecord> ser = new KafkaAvroSerializer<>();
         KafkaAvroDeserializer<SpecificRecord> specific = new KafkaAvroDeserializer<>();
         KafkaAvroDeserializer<GenericRecord> generic = new KafkaAvroDeserializer<>()) {
      ser.configure(props(), false);
      Map<String, Object> sp = props();
      sp.put("specific.avro.reader", "true");
      specific.configure(sp, false);
      generic.configure(props(), false);
      for (SpecificRecord record : Samples.all()) {
        String t = topic + "-" + record.getSchema().getName();
        byte[] bytes = ser.serialize(t, record);
        assertEquals(0, bytes[0]);
        SpecificRecord back = specific.deserialize(t, bytes);
        assertEquals(record, back, record.getSchema().getName());
        assertEquals(record.getClass(), back.getClass());
        GenericRecord g = generic.deserialize(t, bytes);
        assertEquals(record.getSchema(), g.getSchema());
        assertEquals(String.valueOf(record.get(2)), String.valueOf(g.get(2)));
        int id = ConfluentAvroDeserializer.schemaIdOf(bytes);
        assertEquals(record.getSchema(),
            new RestSchemaRegistryClient(config()).latest(t + "-value").schema(), "registered under <topic>-value");
        assertEquals(id, new RestSchemaRegistryClient(config()).latest(t + "-value").id());
      }
      assertNull(ser.serialize(topic, null), "tombstone");
      assertNull(specific.deserialize(topic, null), "tombstone");
    }
  }

  @Test
  void serdeForAFixedReaderClassAndKeySubject() {
    String topic = "serde-" + UUID.randomUUID().toString().substring(0, 8);
    try (Serde<GameEvent> serde = AvroSerdes.specific(config(), GameEvent.class, true, true)) {
      byte[] bytes = serde.serializer().serialize(topic, Samples.game());
      assertEquals(Samples.game(), serde.deserializer().deserialize(topic, bytes));
      assertEquals(GameEvent.getClassSchema(), new RestSchemaRegistryClient(config()).latest(topic + "-key").schema());
    }
  }

  @Test
  void autoRegisterOffOnlyLooksUp() {
    String topic = "noreg-" + UUID.randomUUID().toString().substring(0, 8);
    RestSchemaRegistryClient client = new RestSchemaRegistryClient(config());
    ConfluentAvroSerializer<GameEvent> lookupOnly = new ConfluentAvroSerializer<>(client, false);
    SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
        () -> lookupOnly.serialize(topic, false, Samples.game()));
    assertTrue(e.isNotFound(), e.getMessage());
    int id = client.register(topic + "-value", GameEvent.getClassSchema());
    byte[] bytes = new ConfluentAvroSerializer<GameEvent>(new RestSchemaRegistryClient(config()), false)
        .serialize(topic, false, Samples.game());
    assertEquals(id, ConfluentAvroDeserializer.schemaIdOf(bytes));
  }

  @Test
  void olderWriterIsResolvedToTheNewerReaderWithDefaults() {
    // the writer knew LogisticsEvent before 'notes' and 'actual_time' existed
    Schema full = LogisticsEvent.getClassSchema();
    Schema old = Schema.createRecord(full.getName(), full.getDoc(), full.getNamespace(), false,
        full.getFields().stream().filter(f -> !f.name().equals("notes") && !f.name().equals("actual_time"))
            .map(f -> new Schema.Field(f, f.schema())).toList());
    LogisticsEvent sample = Samples.logistics();
    GenericRecord oldRecord = new GenericData.Record(old);
    for (Schema.Field f : old.getFields()) {
      oldRecord.put(f.name(), GenericData.get().deepCopy(f.schema(), toGeneric(sample, f.name())));
    }
    String topic = "evolve-" + UUID.randomUUID().toString().substring(0, 8);
    RestSchemaRegistryClient client = new RestSchemaRegistryClient(config());
    byte[] bytes = new ConfluentAvroSerializer<GenericRecord>(client, true).serialize(topic, false, oldRecord);
    LogisticsEvent read = ConfluentAvroDeserializer.specific(config(), LogisticsEvent.class).deserialize(bytes);
    assertNull(read.getNotes());
    assertNull(read.getActualTime());
    assertEquals(sample.getLane(), read.getLane());
    assertEquals(sample.getEventTime(), read.getEventTime());
  }

  /** The generic representation of one field of a specific record (Instants as epoch millis). */
  private static Object toGeneric(LogisticsEvent e, String field) {
    Object v = e.get(field);
    if (v instanceof java.time.Instant i) {
      return i.toEpochMilli();
    }
    if (v instanceof SpecificRecord r) {
      GenericRecord g = new GenericData.Record(r.getSchema());
      for (Schema.Field f : r.getSchema().getFields()) {
        g.put(f.name(), r.get(f.pos()));
      }
      return g;
    }
    if (v instanceof Enum<?> en) {
      return new GenericData.EnumSymbol(e.getSchema().getField(field).schema(), en.name());
    }
    return v;
  }

  @Test
  void unknownIdAndIncompatibleWriterAreWireFormatErrors() {
    ConfluentAvroDeserializer<GameEvent> reader = ConfluentAvroDeserializer.specific(config(), GameEvent.class);
    WireFormatException unknown = assertThrows(WireFormatException.class,
        () -> reader.deserialize(new byte[] {0, 0x3a, (byte) 0xde, 0x68, (byte) 0xb1, 2}));
    assertEquals(WireFormatException.Reason.UNKNOWN_SCHEMA_ID, unknown.reason());
    assertEquals(987654321, unknown.schemaId());
    assertTrue(unknown.getMessage().startsWith("unknown schema id 987654321: the registry answered HTTP 404 "
        + "error_code 40403"), unknown.getMessage());
    assertTrue(unknown.getMessage().endsWith("(GET " + registryUrl() + "/schemas/ids/987654321)"),
        unknown.getMessage());

    // same full name, but npc_id is an int and scene_context is missing: the GameEvent reader cannot read it
    Schema wrong = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"GameEvent\","
        + "\"namespace\":\"io.latentflow.schemas.avro\",\"fields\":[{\"name\":\"player_id\",\"type\":\"string\"},"
        + "{\"name\":\"session_id\",\"type\":\"string\"},{\"name\":\"npc_id\",\"type\":\"int\"},"
        + "{\"name\":\"event_type\",\"type\":\"string\"},{\"name\":\"player_utterance\",\"type\":\"string\"},"
        + "{\"name\":\"event_time\",\"type\":\"long\"}]}");
    GenericRecord w = new GenericData.Record(wrong);
    w.put("player_id", "p");
    w.put("session_id", "s");
    w.put("npc_id", 7);
    w.put("event_type", "DIALOGUE");
    w.put("player_utterance", "hi");
    w.put("event_time", 1L);
    String topic = "wrong-" + UUID.randomUUID().toString().substring(0, 8);
    byte[] bytes = new ConfluentAvroSerializer<GenericRecord>(config(), true).serialize(topic, false, w);
    int id = ConfluentAvroDeserializer.schemaIdOf(bytes);
    WireFormatException inc = assertThrows(WireFormatException.class, () -> reader.deserialize(bytes));
    assertEquals(WireFormatException.Reason.INCOMPATIBLE_SCHEMA, inc.reason());
    assertTrue(inc.getMessage().startsWith("writer schema id " + id + " (io.latentflow.schemas.avro.GameEvent) is "
        + "incompatible with the reader schema io.latentflow.schemas.avro.GameEvent: "), inc.getMessage());
    assertTrue(inc.getMessage().contains("TYPE_MISMATCH at /fields/2/type: reader type: STRING not compatible with "
        + "writer type: INT"), inc.getMessage());
    assertTrue(inc.getMessage().contains("scene_context"), inc.getMessage());
    // the generic reader with the writer's own schema reads it fine
    assertEquals(w, ConfluentAvroDeserializer.generic(config(), null).deserialize(bytes));
    assertArrayEquals(bytes, new ConfluentAvroSerializer<GenericRecord>(config(), true).serialize(topic, false, w));
  }
}
