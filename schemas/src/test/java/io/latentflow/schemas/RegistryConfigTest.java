package io.latentflow.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryConfigTest {

  @Test
  void fromKafkaProperties() {
    RegistryConfig c = RegistryConfig.fromProperties(Map.of(
        "schema.registry.url", "http://a:8081/,http://b:8081",
        "basic.auth.user.info", "svc:s3cret",
        "schema.registry.request.timeout.ms", "1500"));
    assertEquals("http://a:8081", c.url());
    assertEquals("svc:s3cret", c.basicAuthUserInfo());
    assertEquals(Duration.ofMillis(1500), c.requestTimeout());
    assertEquals(RegistryConfig.DEFAULT_CONNECT_TIMEOUT, c.connectTimeout());
    assertFalse(c.toString().contains("s3cret"), c.toString());
    assertThrows(IllegalArgumentException.class, () -> RegistryConfig.fromProperties(Map.of()));
    assertThrows(IllegalArgumentException.class, () -> RegistryConfig.of("ftp://x"));
  }

  @Test
  void credentialsSourceAndTlsProperties() {
    RegistryConfig fromUrl = RegistryConfig.fromProperties(Map.of(
        "schema.registry.url", "https://svc:p%40ss@r:8443/apis/ccompat/v7",
        "basic.auth.credentials.source", "URL",
        "basic.auth.user.info", "ignored:ignored",
        "schema.registry.ssl.truststore.location", "/etc/ca.p12",
        "schema.registry.ssl.truststore.password", "trust-pw"));
    assertEquals("https://r:8443/apis/ccompat/v7", fromUrl.url());
    assertEquals("svc:p@ss", fromUrl.basicAuthUserInfo(), "percent-decoded, taken from the URL only");
    assertEquals("/etc/ca.p12", fromUrl.tls().truststoreLocation());
    assertEquals("PKCS12", fromUrl.tls().truststoreType());
    assertFalse(fromUrl.toString().contains("p@ss") || fromUrl.toString().contains("trust-pw"), fromUrl.toString());
    assertNull(RegistryConfig.fromProperties(Map.of("schema.registry.url", "http://r")).tls());
    assertThrows(IllegalArgumentException.class, () -> RegistryConfig.fromProperties(Map.of(
        "schema.registry.url", "http://r", "basic.auth.credentials.source", "SASL_INHERIT")));
  }

  @Test
  void javaSerializableForFlink() throws Exception {
    RegistryConfig c = RegistryConfig.of("https://r:8443/apis/ccompat/v7").withBasicAuth("u:p");
    ConfluentAvroSerializer<Object> ser = new ConfluentAvroSerializer<>(c, false);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(ser);
      out.writeObject(ConfluentAvroDeserializer.specific(c, io.latentflow.schemas.avro.GameEvent.class));
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      ConfluentAvroSerializer<?> back = (ConfluentAvroSerializer<?>) in.readObject();
      assertFalse(back.autoRegister());
      assertEquals(c, ((RestSchemaRegistryClient) back.client()).config());
      assertTrue(in.readObject() instanceof ConfluentAvroDeserializer<?>);
    }
  }

  @Test
  void unreachableRegistryIsARetriableNoResponseError() {
    RestSchemaRegistryClient client = new RestSchemaRegistryClient(
        RegistryConfig.of("http://127.0.0.1:1").withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2)));
    SchemaRegistryException e = assertThrows(SchemaRegistryException.class, () -> client.schemaById(1));
    assertEquals(SchemaRegistryException.NO_RESPONSE, e.httpStatus());
    assertTrue(e.isRetriable());
    assertNull(e.registryMessage());
    assertTrue(e.getMessage().startsWith("cannot fetch schema id 1: GET http://127.0.0.1:1/schemas/ids/1 -> no response"),
        e.getMessage());
  }

  @Test
  void subjectEncoding() {
    assertEquals("a%20b%2Fc-value", RestSchemaRegistryClient.encode("a b/c-value"));
  }
}
