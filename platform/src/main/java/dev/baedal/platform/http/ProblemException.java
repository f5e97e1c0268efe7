package dev.baedal.platform.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A failure that is the client's to know about: it becomes an RFC 9457 problem response with its
 * status, and crosses the event bus as a {@code ReplyException} whose code is the status and whose
 * message is the problem JSON.
 *
 * <p>A 400 or 422 about the request's content carries the {@link Violation}s found under {@code
 * errors} (contract section 2); build those with {@link #invalid} and {@link #unprocessable(String,
 * List)}.
 */
public class ProblemException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String title;
  private final transient Map<String, String> headers;
  private final transient JsonObject extensions;

  public ProblemException(int status, String title, String detail) {
    this(status, title, detail, Map.of(), new JsonObject());
  }

  public ProblemException(
      int status, String title, String detail, Map<String, String> headers, JsonObject extensions) {
    super(detail, null, false, false);
    this.status = status;
    this.title = title;
    this.headers = new LinkedHashMap<>(headers);
    this.extensions = extensions.copy();
  }

  public static ProblemException badRequest(String detail) {
    return new ProblemException(400, "Bad Request", detail);
  }

  /**
   * 400 listing every violation found; the detail says them all in plain words, e.g. {@code the
   * Idempotency-Key header is required; items[0].quantity must be between 1 and 99}.
   */
  public static ProblemException invalid(List<Violation> violations) {
    if (violations.isEmpty()) {
      throw new IllegalArgumentException("a 400 for no violation");
    }
    return withErrors(400, "Bad Request", violations);
  }

  public static ProblemException invalid(Violation... violations) {
    return invalid(List.of(violations));
  }

  /**
   * 422 about parts of a well-formed request (a menu item the store does not sell, a closed store):
   * {@code detail} says why in plain words, {@code errors} where.
   */
  public static ProblemException unprocessable(String detail, List<Violation> violations) {
    return withErrors(422, "Unprocessable Content", detail, violations);
  }

  /**
   * 404 for things the request names that do not exist: {@code errors} says where it names them.
   */
  public static ProblemException notFound(String detail, List<Violation> violations) {
    return withErrors(404, "Not Found", detail, violations);
  }

  private static ProblemException withErrors(
      int status, String title, String detail, List<Violation> list) {
    JsonArray errors = new JsonArray();
    list.forEach(v -> errors.add(v.toJson()));
    return new ProblemException(
        status, title, detail, Map.of(), new JsonObject().put("errors", errors));
  }

  private static ProblemException withErrors(int status, String title, List<Violation> list) {
    List<String> sentences = new ArrayList<>();
    list.forEach(v -> sentences.add(v.sentence()));
    return withErrors(status, title, String.join("; ", sentences), list);
  }

  public static ProblemException notFound(String detail) {
    return new ProblemException(404, "Not Found", detail);
  }

  /**
   * {@code id} as a UUID; one that is not (or none) names no {@code thing}: 404 "there is no {@code
   * thing} {@code id}".
   */
  public static UUID parseId(String thing, String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw notFound("there is no " + thing + " " + id);
    }
  }

  public static ProblemException conflict(String detail) {
    return new ProblemException(409, "Conflict", detail);
  }

  public static ProblemException unprocessable(String detail) {
    return new ProblemException(422, "Unprocessable Content", detail);
  }

  /** 503 with {@code Retry-After}: the caller may try again after that many seconds. */
  public static ProblemException unavailable(String detail, long retryAfterSeconds) {
    return new ProblemException(
        503,
        "Service Unavailable",
        detail,
        Map.of("Retry-After", String.valueOf(Math.max(1, retryAfterSeconds))),
        new JsonObject());
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  public String detail() {
    return getMessage();
  }

  /** The violations under {@code errors}; empty if there are none. */
  public List<Violation> violations() {
    List<Violation> out = new ArrayList<>();
    if (extensions.getValue("errors") instanceof JsonArray errors) {
      for (Object e : errors) {
        Violation v = Violation.fromJson(e);
        if (v != null) {
          out.add(v);
        }
      }
    }
    return out;
  }

  public Map<String, String> headers() {
    return headers;
  }

  /** The problem document, without {@code instance} (the HTTP layer knows the path). */
  public JsonObject toJson() {
    JsonObject json = Problems.json(status, title, getMessage(), null);
    extensions.forEach(e -> json.put(e.getKey(), e.getValue()));
    if (!headers.isEmpty()) {
      json.put("headers", new JsonObject(new LinkedHashMap<>(headers)));
    }
    return json;
  }

  /** Rebuilds the exception from {@link #toJson()}, e.g. on the far side of the event bus. */
  public static ProblemException fromJson(JsonObject json) {
    JsonObject ext = json.copy();
    int status = ext.getInteger("status", 500);
    String title = String.valueOf(ext.remove("title"));
    String detail = String.valueOf(ext.remove("detail"));
    JsonObject headerJson = (JsonObject) ext.remove("headers");
    ext.remove("status");
    ext.remove("type");
    ext.remove("instance");
    Map<String, String> headers = new LinkedHashMap<>();
    if (headerJson != null) {
      headerJson.forEach(e -> headers.put(e.getKey(), String.valueOf(e.getValue())));
    }
    return new ProblemException(status, title, detail, headers, ext);
  }
}
