package io.latentflow.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentflow.schemas.SchemaRegistryClient.Compatibility;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each committed contract registers in a real registry and evolves BACKWARD-compatibly there. */
class RegistryContractsTest extends RealRegistryTest {

  static Stream<Schema> contracts() {
    return Contracts.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("contracts")
  void registersAndEvolvesBackward(Schema committed) {
    String subject = uniqueSubject(committed.getName() + "-value");
    RestSchemaRegistryClient client = new RestSchemaRegistryClient(config());
    client.setCompatibility(subject, Compatibility.BACKWARD);
    int id = client.register(subject, committed);
    assertEquals(committed, new RestSchemaRegistryClient(config()).schemaById(id), "registry returns it intact");

    assertTrue(client.isCompatible(subject, Contracts.withDefaultedField(committed)),
        "a copy with an added defaulted field is accepted");
    assertFalse(client.isCompatible(subject, Contracts.withRequiredField(committed)),
        "a copy with an added required field is rejected");
    assertThrows(SchemaRegistryException.class, () -> client.register(subject, Contracts.withRequiredField(committed)));
    int evolved = client.register(subject, Contracts.withDefaultedField(committed));
    assertNotEquals(id, evolved);
    assertEquals(2, client.latest(subject).version());
  }
}
