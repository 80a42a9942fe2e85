package io.latentflow.schemas;

/**
 * A schema registry request failed: an HTTP error answer (status, the registry's {@code error_code} and message), or
 * no answer at all (status {@link #NO_RESPONSE}: connection refused, timeout, unreadable body).
 */
public class SchemaRegistryException extends RuntimeException {

  /** {@link #httpStatus()} when no HTTP answer was received. */
  public static final int NO_RESPONSE = -1;
  /** {@link #errorCode()} when the answer carried no {@code error_code}. */
  public static final int NO_ERROR_CODE = -1;

  /** Confluent error codes that registries speaking the API return. */
  public static final int SUBJECT_NOT_FOUND = 40401;
  public static final int VERSION_NOT_FOUND = 40402;
  public static final int SCHEMA_NOT_FOUND = 40403;
  public static final int INCOMPATIBLE_SCHEMA = 409;
  public static final int INVALID_SCHEMA = 42201;

  private final int httpStatus;
  private final int errorCode;
  private final String registryMessage;
  private final String method;
  private final String url;

  public SchemaRegistryException(String what, String method, String url, int httpStatus, int errorCode,
      String registryMessage, Throwable cause) {
    super(format(what, method, url, httpStatus, errorCode, registryMessage, cause), cause);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
    this.registryMessage = registryMessage;
    this.method = method;
    this.url = url;
  }

  private static String format(String what, String method, String url, int status, int code, String msg,
      Throwable cause) {
    StringBuilder b = new StringBuilder(what).append(": ").append(method).append(' ').append(url).append(" -> ");
    if (status == NO_RESPONSE) {
      b.append("no response (").append(cause == null ? "unknown" : cause.getClass().getSimpleName() + ": "
          + cause.getMessage()).append(')');
    } else {
      b.append("HTTP ").append(status);
      if (code != NO_ERROR_CODE) {
        b.append(" error_code ").append(code);
      }
      if (msg != null && !msg.isEmpty()) {
        b.append(": ").append(msg);
      }
    }
    return b.toString();
  }

  /** The HTTP status, or {@link #NO_RESPONSE}. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The registry's {@code error_code} (e.g. 40403), or {@link #NO_ERROR_CODE}. */
  public int errorCode() {
    return errorCode;
  }

  /** The registry's {@code message}, or the raw body when it was not the usual JSON, or null. */
  public String registryMessage() {
    return registryMessage;
  }

  public String method() {
    return method;
  }

  /** The full request URL (it contains the subject or id asked for). */
  public String url() {
    return url;
  }

  /** True when the registry answered that the thing asked for does not exist (HTTP 404). */
  public boolean isNotFound() {
    return httpStatus == 404;
  }

  /** True when the failure may pass on retry: no answer, 5xx, 408 or 429. */
  public boolean isRetriable() {
    return httpStatus == NO_RESPONSE || httpStatus >= 500 || httpStatus == 408 || httpStatus == 429;
  }
}
