package io.latentflow.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentflow.schemas.SchemaRegistryClient.Compatibility;
import io.latentflow.schemas.SchemaRegistryClient.RegisteredSchema;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

class RestSchemaRegistryClientTest extends RealRegistryTest {

  static Schema v1() {
    return SchemaBuilder.record("Probe").namespace("io.latentflow.test").fields()
        .requiredString("id").requiredLong("n").endRecord();
  }

  static Schema v2WithDefault() {
    return SchemaBuilder.record("Probe").namespace("io.latentflow.test").fields()
        .requiredString("id").requiredLong("n").name("note").type().stringType().stringDefault("").endRecord();
  }

  static Schema v2WithoutDefault() {
    return SchemaBuilder.record("Probe").namespace("io.latentflow.test").fields()
        .requiredString("id").requiredLong("n").requiredString("note").endRecord();
  }

  @Test
  void registerThenLookupByIdAndCaching() {
    String subject = uniqueSubject("client-register");
    CountingClient writer = new CountingClient(config());
    int id = writer.register(subject, v1());
    assertEquals(1, writer.requests.size(), writer.requests.toString());
    assertEquals(id, writer.register(subject, v1()), "same subject and schema: same id");
    assertEquals(id, writer.lookupId(subject, v1()));
    assertEquals(1, writer.requests.size(), "subject+schema -> id is cached: " + writer.requests);

    CountingClient reader = new CountingClient(config());
    assertEquals(v1(), reader.schemaById(id));
    assertEquals(1, reader.requests.size());
    assertTrue(reader.requests.get(0).endsWith("/schemas/ids/" + id), reader.requests.toString());
    assertEquals(v1(), reader.schemaById(id));
    assertEquals(1, reader.requests.size(), "second lookup of the id is served from the cache");

    CountingClient looker = new CountingClient(config());
    assertEquals(id, looker.lookupId(subject, v1()), "lookup without registering");
    RegisteredSchema latest = looker.latest(subject);
    assertEquals(id, latest.id());
    assertEquals(1, latest.version());
    assertEquals(v1(), latest.schema());
  }

  @Test
  void backwardCompatibilityIsCheckedByTheRegistry() {
    String subject = uniqueSubject("client-compat");
    RestSchemaRegistryClient client = new RestSchemaRegistryClient(config());
    assertTrue(client.isCompatible(subject, v1()), "a subject with no versions accepts anything");
    client.setCompatibility(subject, Compatibility.BACKWARD);
    assertEquals(Compatibility.BACKWARD, client.getCompatibility(subject));
    int id1 = client.register(subject, v1());

    assertTrue(client.isCompatible(subject, v2WithDefault()), "added field with a default is BACKWARD compatible");
    assertFalse(client.isCompatible(subject, v2WithoutDefault()), "added field without a default is not");

    SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
        () -> client.register(subject, v2WithoutDefault()));
    assertEquals(409, e.httpStatus(), e.getMessage());
    assertTrue(e.url().contains(subject), e.url());

    int id2 = client.register(subject, v2WithDefault());
    assertNotEquals(id1, id2);
    assertEquals(2, client.latest(subject).version());
    assertEquals(id2, client.latest(subject).id());
  }

  @Test
  void unknownIdAndSubjectCarryStatusErrorCodeAndUrl() {
    RestSchemaRegistryClient client = new RestSchemaRegistryClient(config());
    SchemaRegistryException e = assertThrows(SchemaRegistryException.class, () -> client.schemaById(987_654_321));
    assertEquals(404, e.httpStatus());
    assertEquals(SchemaRegistryException.SCHEMA_NOT_FOUND, e.errorCode(), e.getMessage());
    assertTrue(e.url().endsWith("/schemas/ids/987654321"), e.url());
    assertTrue(e.getMessage().contains("HTTP 404 error_code 40403"), e.getMessage());
    assertFalse(e.isRetriable());

    String subject = uniqueSubject("client-missing");
    SchemaRegistryException s = assertThrows(SchemaRegistryException.class, () -> client.latest(subject));
    assertEquals(404, s.httpStatus());
    assertEquals(SchemaRegistryException.SUBJECT_NOT_FOUND, s.errorCode(), s.getMessage());
    assertTrue(s.getMessage().contains(subject), s.getMessage());

    SchemaRegistryException notRegistered = assertThrows(SchemaRegistryException.class,
        () -> client.lookupId(subject, v1()));
    assertTrue(notRegistered.isNotFound(), notRegistered.getMessage());
  }

  @Test
  void subjectsAreUrlEncoded() {
    String subject = uniqueSubject("odd subject+name:é");
    RestSchemaRegistryClient client = new RestSchemaRegistryClient(config());
    int id = client.register(subject, v1());
    RegisteredSchema latest = client.latest(subject);
    assertEquals(subject, latest.subject());
    assertEquals(id, latest.id());
  }
}
