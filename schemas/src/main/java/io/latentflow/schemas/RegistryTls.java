package io.latentflow.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS settings of the registry client: a truststore for a private CA and, for mutual TLS, a keystore. Store files
 * are read where the client is created (on the task manager for Flink functions), so the paths must exist there.
 * {@link #toString()} never shows a password.
 *
 * @param truststoreLocation truststore file, or null for the JVM's default trust (cacerts)
 * @param truststorePassword its password, or null
 * @param truststoreType     {@code PKCS12} (default) or {@code JKS}
 * @param keystoreLocation   keystore with the client key for mutual TLS, or null
 * @param keystorePassword   its password, or null
 * @param keystoreType       {@code PKCS12} (default) or {@code JKS}
 * @param keyPassword        the key's password, or null for the keystore password
 */
public record RegistryTls(String truststoreLocation, String truststorePassword, String truststoreType,
                          String keystoreLocation, String keystorePassword, String keystoreType, String keyPassword)
    implements Serializable {

  /** Confluent's names, as in its serdes' configs. */
  public static final String TRUSTSTORE_LOCATION_CONFIG = "schema.registry.ssl.truststore.location";
  public static final String TRUSTSTORE_PASSWORD_CONFIG = "schema.registry.ssl.truststore.password";
  public static final String TRUSTSTORE_TYPE_CONFIG = "schema.registry.ssl.truststore.type";
  public static final String KEYSTORE_LOCATION_CONFIG = "schema.registry.ssl.keystore.location";
  public static final String KEYSTORE_PASSWORD_CONFIG = "schema.registry.ssl.keystore.password";
  public static final String KEYSTORE_TYPE_CONFIG = "schema.registry.ssl.keystore.type";
  public static final String KEY_PASSWORD_CONFIG = "schema.registry.ssl.key.password";

  public RegistryTls {
    truststoreType = truststoreType == null || truststoreType.isBlank() ? "PKCS12" : truststoreType;
    keystoreType = keystoreType == null || keystoreType.isBlank() ? "PKCS12" : keystoreType;
  }

  /** Trust the CAs of one store. */
  public static RegistryTls truststore(String location, String password) {
    return new RegistryTls(location, password, null, null, null, null, null);
  }

  /** Reads the {@code schema.registry.ssl.*} properties; null when none of the store locations is set. */
  public static RegistryTls fromProperties(Map<String, ?> configs) {
    String trust = text(configs, TRUSTSTORE_LOCATION_CONFIG);
    String key = text(configs, KEYSTORE_LOCATION_CONFIG);
    if (trust == null && key == null) {
      return null;
    }
    return new RegistryTls(trust, text(configs, TRUSTSTORE_PASSWORD_CONFIG), text(configs, TRUSTSTORE_TYPE_CONFIG),
        key, text(configs, KEYSTORE_PASSWORD_CONFIG), text(configs, KEYSTORE_TYPE_CONFIG),
        text(configs, KEY_PASSWORD_CONFIG));
  }

  /** A TLS context from the stores; the errors name the file, never the password. */
  public SSLContext sslContext() {
    try {
      TrustManagerFactory tmf = null;
      if (truststoreLocation != null) {
        tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(load(truststoreLocation, truststorePassword, truststoreType, TRUSTSTORE_LOCATION_CONFIG));
      }
      KeyManagerFactory kmf = null;
      if (keystoreLocation != null) {
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        String kp = keyPassword != null ? keyPassword : keystorePassword;
        kmf.init(load(keystoreLocation, keystorePassword, keystoreType, KEYSTORE_LOCATION_CONFIG),
            kp == null ? new char[0] : kp.toCharArray());
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot set up TLS for the schema registry client: " + e.getMessage(), e);
    }
  }

  private static KeyStore load(String location, String password, String type, String property) {
    try (InputStream in = Files.newInputStream(Path.of(location))) {
      KeyStore ks = KeyStore.getInstance(type);
      ks.load(in, password == null ? null : password.toCharArray());
      return ks;
    } catch (IOException | GeneralSecurityException e) {
      // e.g. "keystore password was incorrect"; the JDK's messages do not contain the password
      throw new IllegalArgumentException("cannot read " + type + " store " + location + " (" + property + "): "
          + e.getMessage(), e);
    }
  }

  private static String text(Map<String, ?> configs, String key) {
    Object v = configs.get(key);
    return v == null || v.toString().isBlank() ? null : v.toString();
  }

  /** Locations and types only. */
  @Override
  public String toString() {
    return "RegistryTls[truststore=" + (truststoreLocation == null ? "default" : truststoreLocation + " ("
        + truststoreType + ")") + ", keystore=" + (keystoreLocation == null ? "none" : keystoreLocation + " ("
        + keystoreType + ")") + "]";
  }
}
