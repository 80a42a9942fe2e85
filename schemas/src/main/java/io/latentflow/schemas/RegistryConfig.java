package io.latentflow.schemas;

import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Serializable connection settings of a Confluent-REST schema registry. Flink ships functions as serialized objects,
 * so functions hold this and create their {@link SchemaRegistryClient} lazily on the task manager.
 *
 * @param url               base URL of the Confluent-compatible API, e.g. {@code http://host:8081} (Confluent) or
 *                          {@code http://host:8080/apis/ccompat/v7} (Apicurio); a trailing slash is dropped
 * @param basicAuthUserInfo {@code user:password} for HTTP basic auth, or {@code null} for none
 * @param connectTimeout    TCP connect timeout
 * @param requestTimeout    timeout of one request (response headers)
 * @param tls               truststore and keystore for {@code https} URLs, or null for the JVM's default trust
 *
 * <p>Credentials in the URL ({@code https://user:password@host/...}) are moved into {@code basicAuthUserInfo}, so
 * that the URL, which error messages and logs show, never holds a password. {@link #toString()} shows no secret.
 */
public record RegistryConfig(String url, String basicAuthUserInfo, Duration connectTimeout, Duration requestTimeout,
                             RegistryTls tls)
    implements Serializable {

  /** Kafka-style property: the registry base URL (a comma-separated list uses its first entry). */
  public static final String URL_CONFIG = "schema.registry.url";
  /** Kafka-style property: {@code user:password}. */
  public static final String BASIC_AUTH_USER_INFO_CONFIG = "basic.auth.user.info";
  /** Connect timeout in milliseconds. */
  public static final String CONNECT_TIMEOUT_MS_CONFIG = "schema.registry.connect.timeout.ms";
  /** Request timeout in milliseconds. */
  public static final String REQUEST_TIMEOUT_MS_CONFIG = "schema.registry.request.timeout.ms";
  /** Confluent's name: {@code USER_INFO} (default) reads {@value #BASIC_AUTH_USER_INFO_CONFIG}, {@code URL} the URL. */
  public static final String BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG = "basic.auth.credentials.source";

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

  public RegistryConfig(String url, String basicAuthUserInfo, Duration connectTimeout, Duration requestTimeout) {
    this(url, basicAuthUserInfo, connectTimeout, requestTimeout, null);
  }

  public RegistryConfig {
    Objects.requireNonNull(url, "url");
    url = url.strip();
    int scheme = url.indexOf("://");
    int at = url.indexOf('@');
    int slash = scheme < 0 ? -1 : url.indexOf('/', scheme + 3);
    if (scheme >= 0 && at > scheme && (slash < 0 || at < slash)) {
      String userInfo = java.net.URLDecoder.decode(url.substring(scheme + 3, at), java.nio.charset.StandardCharsets.UTF_8);
      url = url.substring(0, scheme + 3) + url.substring(at + 1);
      if (basicAuthUserInfo == null || basicAuthUserInfo.isEmpty()) {
        basicAuthUserInfo = userInfo;
      }
    }
    while (url.endsWith("/")) {
      url = url.substring(0, url.length() - 1);
    }
    if (!url.startsWith("http://") && !url.startsWith("https://")) {
      throw new IllegalArgumentException("schema registry url must start with http:// or https://: " + url);
    }
    if (basicAuthUserInfo != null && basicAuthUserInfo.isEmpty()) {
      basicAuthUserInfo = null;
    }
    if (basicAuthUserInfo != null && basicAuthUserInfo.indexOf(':') < 0) {
      throw new IllegalArgumentException("basic auth user info must be user:password");
    }
    connectTimeout = positive(connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout, "connectTimeout");
    requestTimeout = positive(requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : requestTimeout, "requestTimeout");
  }

  /** Settings with no authentication and the default timeouts. */
  public static RegistryConfig of(String url) {
    return new RegistryConfig(url, null, null, null);
  }

  public RegistryConfig withBasicAuth(String userInfo) {
    return new RegistryConfig(url, userInfo, connectTimeout, requestTimeout, tls);
  }

  public RegistryConfig withTimeouts(Duration connect, Duration request) {
    return new RegistryConfig(url, basicAuthUserInfo, connect, request, tls);
  }

  public RegistryConfig withTls(RegistryTls tls) {
    return new RegistryConfig(url, basicAuthUserInfo, connectTimeout, requestTimeout, tls);
  }

  /**
   * Reads {@value #URL_CONFIG}, {@value #BASIC_AUTH_USER_INFO_CONFIG}, {@value #CONNECT_TIMEOUT_MS_CONFIG} and
   * {@value #REQUEST_TIMEOUT_MS_CONFIG} from Kafka-style configs, and the {@code schema.registry.ssl.*} store
   * settings of {@link RegistryTls}. With {@value #BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG}{@code =URL} the user info
   * comes from the URL only.
   */
  public static RegistryConfig fromProperties(Map<String, ?> configs) {
    Object url = configs.get(URL_CONFIG);
    if (url == null || url.toString().isBlank()) {
      throw new IllegalArgumentException("missing required property " + URL_CONFIG);
    }
    String first = url instanceof java.util.List<?> list ? String.valueOf(list.get(0)) : url.toString().split(",")[0];
    Object source = configs.get(BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG);
    boolean fromUrl = source != null && "URL".equalsIgnoreCase(source.toString().strip());
    if (source != null && !fromUrl && !"USER_INFO".equalsIgnoreCase(source.toString().strip())) {
      throw new IllegalArgumentException(BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG + " must be USER_INFO or URL: " + source);
    }
    Object userInfo = fromUrl ? null : configs.get(BASIC_AUTH_USER_INFO_CONFIG);
    return new RegistryConfig(first.strip(), userInfo == null ? null : userInfo.toString(),
        millis(configs.get(CONNECT_TIMEOUT_MS_CONFIG), CONNECT_TIMEOUT_MS_CONFIG),
        millis(configs.get(REQUEST_TIMEOUT_MS_CONFIG), REQUEST_TIMEOUT_MS_CONFIG),
        RegistryTls.fromProperties(configs));
  }

  /** A new REST client for these settings (plain HTTP, or TLS with {@link #tls()} or the JVM's default trust). */
  public SchemaRegistryClient newClient() {
    return new RestSchemaRegistryClient(this);
  }

  private static Duration millis(Object value, String name) {
    if (value == null) {
      return null;
    }
    try {
      return Duration.ofMillis(value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().strip()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number of milliseconds: " + value, e);
    }
  }

  private static Duration positive(Duration d, String name) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
    return d;
  }

  /** Never prints the password. */
  @Override
  public String toString() {
    String auth = basicAuthUserInfo == null ? "none" : basicAuthUserInfo.substring(0, basicAuthUserInfo.indexOf(':')) + ":***";
    return "RegistryConfig[url=" + url + ", basicAuth=" + auth + ", connectTimeout=" + connectTimeout
        + ", requestTimeout=" + requestTimeout + (tls == null ? "" : ", tls=" + tls) + "]";
  }
}
