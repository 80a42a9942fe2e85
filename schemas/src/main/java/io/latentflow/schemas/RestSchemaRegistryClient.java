package io.latentflow.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * {@link SchemaRegistryClient} over the Confluent Schema Registry REST API with {@code java.net.http}. Works against
 * any server speaking that API: Confluent, Apicurio ({@code /apis/ccompat/v7}), Redpanda, Karapace. Thread-safe.
 */
public class RestSchemaRegistryClient implements SchemaRegistryClient {

  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  static final String ACCEPT = "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json, "
      + "application/json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RegistryConfig config;
  private final HttpClient http;
  private final String authorization;
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
  private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();

  public RestSchemaRegistryClient(RegistryConfig config) {
    this(config, null);
  }

  /**
   * @param sslContext TLS context for {@code https} URLs (client certificates, private CAs), or null for the one of
   *                   {@link RegistryConfig#tls()}, or else the JVM's default
   */
  public RestSchemaRegistryClient(RegistryConfig config, SSLContext sslContext) {
    this.config = Objects.requireNonNull(config, "config");
    HttpClient.Builder builder = HttpClient.newBuilder()
        .connectTimeout(config.connectTimeout())
        .followRedirects(HttpClient.Redirect.NORMAL);
    if (sslContext != null) {
      builder.sslContext(sslContext);
    } else if (config.tls() != null) {
      builder.sslContext(config.tls().sslContext());
    }
    this.http = builder.build();
    this.authorization = config.basicAuthUserInfo() == null ? null
        : "Basic " + Base64.getEncoder().encodeToString(config.basicAuthUserInfo().getBytes(StandardCharsets.UTF_8));
  }

  public RegistryConfig config() {
    return config;
  }

  @Override
  public int register(String subject, Schema schema) {
    Integer cached = cachedId(subject, schema);
    if (cached != null) {
      return cached;
    }
    JsonNode answer = call("register schema under subject '" + subject + "'", "POST",
        "/subjects/" + encode(subject) + "/versions", schemaBody(schema));
    int id = requiredInt(answer, "id", "POST", "/subjects/" + encode(subject) + "/versions");
    cacheId(subject, schema, id);
    return id;
  }

  @Override
  public int lookupId(String subject, Schema schema) {
    Integer cached = cachedId(subject, schema);
    if (cached != null) {
      return cached;
    }
    String path = "/subjects/" + encode(subject);
    JsonNode answer = call("look up schema under subject '" + subject + "'", "POST", path, schemaBody(schema));
    int id = requiredInt(answer, "id", "POST", path);
    cacheId(subject, schema, id);
    return id;
  }

  @Override
  public Schema schemaById(int id) {
    Schema cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    String path = "/schemas/ids/" + id;
    JsonNode answer = call("fetch schema id " + id, "GET", path, null);
    checkAvro(answer, "GET", path);
    Schema schema = parse(requiredText(answer, "schema", "GET", path), "GET", path);
    Schema raced = schemasById.putIfAbsent(id, schema);
    return raced == null ? schema : raced;
  }

  @Override
  public RegisteredSchema latest(String subject) {
    String path = "/subjects/" + encode(subject) + "/versions/latest";
    JsonNode answer = call("fetch latest version of subject '" + subject + "'", "GET", path, null);
    checkAvro(answer, "GET", path);
    int id = requiredInt(answer, "id", "GET", path);
    Schema schema = parse(requiredText(answer, "schema", "GET", path), "GET", path);
    schemasById.putIfAbsent(id, schema);
    return new RegisteredSchema(answer.path("subject").asText(subject), id, requiredInt(answer, "version", "GET", path),
        schema);
  }

  @Override
  public boolean isCompatible(String subject, Schema schema) {
    String path = "/compatibility/subjects/" + encode(subject) + "/versions/latest";
    try {
      JsonNode answer = call("check compatibility with subject '" + subject + "'", "POST", path, schemaBody(schema));
      JsonNode v = answer.get("is_compatible");
      if (v == null || !v.isBoolean()) {
        throw malformed("POST", path, "no boolean is_compatible in " + answer);
      }
      return v.booleanValue();
    } catch (SchemaRegistryException e) {
      if (e.errorCode() == SchemaRegistryException.SUBJECT_NOT_FOUND
          || e.errorCode() == SchemaRegistryException.VERSION_NOT_FOUND) {
        return true; // nothing registered yet: nothing to be incompatible with
      }
      throw e;
    }
  }

  @Override
  public void setCompatibility(String subject, Compatibility level) {
    ObjectNode body = JSON.createObjectNode().put("compatibility", level.name());
    call("set compatibility of subject '" + subject + "'", "PUT", "/config/" + encode(subject), body.toString());
  }

  @Override
  public Compatibility getCompatibility(String subject) {
    String path = "/config/" + encode(subject);
    JsonNode answer;
    try {
      answer = call("get compatibility of subject '" + subject + "'", "GET", path, null);
    } catch (SchemaRegistryException e) {
      if (e.isNotFound()) {
        return null;
      }
      throw e;
    }
    JsonNode level = answer.has("compatibilityLevel") ? answer.get("compatibilityLevel") : answer.get("compatibility");
    if (level == null || level.isNull()) {
      return null;
    }
    try {
      return Compatibility.valueOf(level.asText());
    } catch (IllegalArgumentException e) {
      throw malformed("GET", path, "unknown compatibility level " + level);
    }
  }

  /**
   * Sends one request. Tests override this to count or observe requests; it is the only place that talks to the
   * network.
   */
  protected HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private JsonNode call(String what, String method, String path, String body) {
    String url = config.url() + path;
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
        .timeout(config.requestTimeout())
        .header("Accept", ACCEPT);
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", CONTENT_TYPE);
      b.method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    }
    HttpResponse<String> response;
    try {
      response = send(b.build());
    } catch (IOException e) {
      throw new SchemaRegistryException("cannot " + what, method, url, SchemaRegistryException.NO_RESPONSE,
          SchemaRegistryException.NO_ERROR_CODE, null, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException("interrupted while trying to " + what, method, url,
          SchemaRegistryException.NO_RESPONSE, SchemaRegistryException.NO_ERROR_CODE, null, e);
    }
    int status = response.statusCode();
    String text = response.body() == null ? "" : response.body();
    if (status / 100 != 2) {
      int code = SchemaRegistryException.NO_ERROR_CODE;
      String message = text.length() > 500 ? text.substring(0, 500) + "..." : text;
      try {
        JsonNode error = JSON.readTree(text);
        if (error != null && error.isObject()) {
          if (error.path("error_code").canConvertToInt()) {
            code = error.get("error_code").intValue();
          }
          if (error.hasNonNull("message")) {
            message = error.get("message").asText();
          }
        }
      } catch (IOException notJson) {
        // keep the raw body as the message
      }
      if (status == 401 || status == 403) {
        message = (status == 401 ? "unauthorized: " : "forbidden: ")
            + (authorization == null ? "no credentials configured (basic.auth.user.info)"
                : "the registry refused the basic auth credentials of user '" + user(config.basicAuthUserInfo()) + "'")
            + (message.isEmpty() ? "" : " (" + message + ")");
      }
      throw new SchemaRegistryException("cannot " + what, method, url, status, code, message, null);
    }
    try {
      JsonNode node = JSON.readTree(text);
      return node == null ? JSON.createObjectNode() : node;
    } catch (IOException e) {
      throw new SchemaRegistryException("cannot " + what + " (answer is not JSON)", method, url, status,
          SchemaRegistryException.NO_ERROR_CODE, text, e);
    }
  }

  private static String schemaBody(Schema schema) {
    return JSON.createObjectNode().put("schema", schema.toString()).put("schemaType", "AVRO").toString();
  }

  private void checkAvro(JsonNode answer, String method, String path) {
    JsonNode type = answer.get("schemaType");
    if (type != null && !type.isNull() && !"AVRO".equalsIgnoreCase(type.asText())) {
      throw malformed(method, path, "schema type is " + type.asText() + ", not AVRO");
    }
  }

  private Schema parse(String text, String method, String path) {
    try {
      return new Schema.Parser().parse(text);
    } catch (SchemaParseException e) {
      throw new SchemaRegistryException("registry returned an unparsable Avro schema (" + e.getMessage() + ")",
          method, config.url() + path, 200, SchemaRegistryException.NO_ERROR_CODE, text, e);
    }
  }

  private int requiredInt(JsonNode answer, String field, String method, String path) {
    JsonNode v = answer.get(field);
    if (v == null || !v.canConvertToInt()) {
      throw malformed(method, path, "no integer '" + field + "' in " + answer);
    }
    return v.intValue();
  }

  private String requiredText(JsonNode answer, String field, String method, String path) {
    JsonNode v = answer.get(field);
    if (v == null || !v.isTextual()) {
      throw malformed(method, path, "no string '" + field + "' in the answer");
    }
    return v.textValue();
  }

  private SchemaRegistryException malformed(String method, String path, String detail) {
    return new SchemaRegistryException("unexpected registry answer", method, config.url() + path, 200,
        SchemaRegistryException.NO_ERROR_CODE, detail, null);
  }

  private Integer cachedId(String subject, Schema schema) {
    Map<Schema, Integer> ids = idsBySubject.get(subject);
    return ids == null ? null : ids.get(schema);
  }

  private void cacheId(String subject, Schema schema, int id) {
    idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>()).put(schema, id);
  }

  private static String user(String userInfo) {
    return userInfo.substring(0, userInfo.indexOf(':'));
  }

  /** Percent-encodes a subject for one path segment ({@code /} and spaces included). */
  static String encode(String subject) {
    Objects.requireNonNull(subject, "subject");
    if (subject.isEmpty()) {
      throw new IllegalArgumentException("subject must not be empty");
    }
    return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Override
  public String toString() {
    return "RestSchemaRegistryClient[" + config + "]";
  }
}
