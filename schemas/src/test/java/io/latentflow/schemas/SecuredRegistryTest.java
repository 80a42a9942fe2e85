package io.latentflow.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentflow.embedded.BasicAuthTlsProxy;
import io.latentflow.embedded.TestPki;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry client against a registry behind HTTPS with basic auth (the real Apicurio behind
 * {@link BasicAuthTlsProxy}): registers and looks up with the right credentials and truststore, set as objects or
 * through Confluent's property names; a wrong password is a 401 naming the URL and the user, never the password;
 * an unknown CA and a missing client certificate (mutual TLS) are refused.
 */
class SecuredRegistryTest extends RealRegistryTest {
  private static final String USER = "registry-user";
  private static final String PASSWORD = "reg-secret-2718";

  @TempDir
  static Path dir;
  static TestPki pki;
  static BasicAuthTlsProxy proxy;
  static BasicAuthTlsProxy mtlsProxy;

  @BeforeAll
  static void startProxies() {
    pki = TestPki.generate(dir.resolve("pki"));
    proxy = BasicAuthTlsProxy.start(registryUrl(), pki, USER, PASSWORD, false);
    mtlsProxy = BasicAuthTlsProxy.start(registryUrl(), pki, USER, PASSWORD, true);
  }

  @AfterAll
  static void stopProxies() {
    if (proxy != null) {
      proxy.close();
    }
    if (mtlsProxy != null) {
      mtlsProxy.close();
    }
  }

  private static RegistryConfig secured(String url, String password) {
    return RegistryConfig.of(url).withBasicAuth(USER + ":" + password)
        .withTls(RegistryTls.truststore(pki.truststore().toString(), pki.password()));
  }

  @Test
  void registersAndLooksUpThroughTlsAndBasicAuth() {
    String subject = uniqueSubject("secured");
    RestSchemaRegistryClient client = new RestSchemaRegistryClient(secured(proxy.url(), PASSWORD));
    int id = client.register(subject, RestSchemaRegistryClientTest.v1());
    RestSchemaRegistryClient reader = new RestSchemaRegistryClient(secured(proxy.url(), PASSWORD));
    assertEquals(RestSchemaRegistryClientTest.v1(), reader.schemaById(id));
    assertEquals(id, reader.lookupId(subject, RestSchemaRegistryClientTest.v1()));
    assertTrue(proxy.forwarded() >= 3, "requests went through the proxy: " + proxy.forwarded());
  }

  @Test
  void confluentPropertyNamesConfigureAuthAndTls() {
    RegistryConfig c = RegistryConfig.fromProperties(Map.of(
        "schema.registry.url", proxy.url(),
        "basic.auth.credentials.source", "USER_INFO",
        "basic.auth.user.info", USER + ":" + PASSWORD,
        "schema.registry.ssl.truststore.location", pki.truststore().toString(),
        "schema.registry.ssl.truststore.password", pki.password(),
        "schema.registry.ssl.truststore.type", "PKCS12"));
    assertFalse(c.toString().contains(PASSWORD) || c.toString().contains(pki.password()), c.toString());
    String subject = uniqueSubject("secured-props");
    int id = c.newClient().register(subject, RestSchemaRegistryClientTest.v1());
    assertEquals(id, c.newClient().latest(subject).id());
  }

  @Test
  void aWrongPasswordIsA401NamingTheUrlAndUserButNotThePassword() {
    String wrong = "not-the-" + PASSWORD;
    int before = proxy.refused();
    SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
        () -> new RestSchemaRegistryClient(secured(proxy.url(), wrong)).schemaById(1));
    assertEquals(401, e.httpStatus());
    assertFalse(e.isRetriable());
    assertTrue(e.getMessage().contains("HTTP 401") && e.getMessage().contains(proxy.url() + "/schemas/ids/1")
        && e.getMessage().contains("'" + USER + "'"), e.getMessage());
    assertFalse(e.getMessage().contains(wrong) || e.getMessage().contains(PASSWORD), e.getMessage());
    assertEquals(before + 1, proxy.refused());

    SchemaRegistryException none = assertThrows(SchemaRegistryException.class, () -> new RestSchemaRegistryClient(
        RegistryConfig.of(proxy.url()).withTls(RegistryTls.truststore(pki.truststore().toString(), pki.password())))
        .schemaById(1));
    assertEquals(401, none.httpStatus());
    assertTrue(none.getMessage().contains("no credentials configured"), none.getMessage());
  }

  @Test
  void credentialsInTheUrlBecomeBasicAuthAndLeaveTheUrl() {
    RegistryConfig c = RegistryConfig.of(proxy.url().replace("https://", "https://" + USER + ":" + PASSWORD + "@"))
        .withTls(RegistryTls.truststore(pki.truststore().toString(), pki.password()));
    assertEquals(proxy.url(), c.url());
    assertEquals(USER + ":" + PASSWORD, c.basicAuthUserInfo());
    assertFalse(c.toString().contains(PASSWORD), c.toString());
    c.newClient().register(uniqueSubject("secured-url"), RestSchemaRegistryClientTest.v1());
  }

  @Test
  void aServerCertificateFromAnUnknownCaIsRefused() {
    SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
        () -> new RestSchemaRegistryClient(RegistryConfig.of(proxy.url()).withBasicAuth(USER + ":" + PASSWORD))
            .schemaById(1));
    assertEquals(SchemaRegistryException.NO_RESPONSE, e.httpStatus());
    assertTrue(e.getMessage().contains("SSLHandshakeException"), e.getMessage());
    assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
  }

  @Test
  void mutualTlsNeedsTheClientKeystore() {
    String subject = uniqueSubject("secured-mtls");
    assertThrows(SchemaRegistryException.class,
        () -> new RestSchemaRegistryClient(secured(mtlsProxy.url(), PASSWORD)).register(subject,
            RestSchemaRegistryClientTest.v1()), "no client certificate: the handshake fails");
    RegistryConfig withKey = RegistryConfig.fromProperties(Map.of(
        "schema.registry.url", mtlsProxy.url(),
        "basic.auth.user.info", USER + ":" + PASSWORD,
        "schema.registry.ssl.truststore.location", pki.truststore().toString(),
        "schema.registry.ssl.truststore.password", pki.password(),
        "schema.registry.ssl.keystore.location", pki.clientKeystore().toString(),
        "schema.registry.ssl.keystore.password", pki.password()));
    assertTrue(withKey.newClient().register(subject, RestSchemaRegistryClientTest.v1()) > 0);
  }

  @Test
  void aWrongTruststorePasswordNamesTheFileNotThePassword() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RegistryTls.truststore(pki.truststore().toString(), "bad-store-pw").sslContext());
    assertTrue(e.getMessage().contains(pki.truststore().toString()), e.getMessage());
    assertFalse(e.getMessage().contains("bad-store-pw"), e.getMessage());
  }
}
