package dev.baedal.platform.events;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/**
 * The CloudEvents 1.0 structured-JSON envelope of every Baedal event (contract section 6).
 *
 * @param id unique per event; consumers deduplicate by it
 * @param source the producing context, e.g. {@code /order}
 * @param type e.g. {@code order.placed}
 * @param subject the order id (catalogue: the store id); also the Kafka record key
 * @param time when it happened
 * @param data the payload
 */
public record CloudEvent(
    String id, String source, String type, String subject, Instant time, JsonObject data) {

  public static final String SPEC_VERSION = "1.0";
  public static final String CONTENT_TYPE = "application/json";

  public CloudEvent {
    require(id, "id");
    require(source, "source");
    require(type, "type");
    require(subject, "subject");
    if (time == null) {
      throw new IllegalArgumentException("event has no time");
    }
    data = data == null ? new JsonObject() : data;
  }

  /** A new event with a random id, happening now. */
  public static CloudEvent of(String source, String type, String subject, JsonObject data) {
    return of(source, type, subject, Instant.now(), data);
  }

  /** A new event with a random id that happened {@code at} (a domain decision's time). */
  public static CloudEvent of(
      String source, String type, String subject, Instant at, JsonObject data) {
    return new CloudEvent(UUID.randomUUID().toString(), source, type, subject, at, data);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("specversion", SPEC_VERSION)
        .put("id", id)
        .put("source", source)
        .put("type", type)
        .put("subject", subject)
        .put("time", time.toString())
        .put("datacontenttype", CONTENT_TYPE)
        .put("data", data);
  }

  public String encode() {
    return toJson().encode();
  }

  /**
   * Parses and checks an envelope.
   *
   * @throws IllegalArgumentException naming what is wrong, for anything that is not a valid event
   */
  public static CloudEvent parse(String json) {
    if (json == null) {
      throw new IllegalArgumentException("empty record");
    }
    JsonObject o;
    try {
      o = new JsonObject(json);
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("not a JSON object");
    }
    if (!SPEC_VERSION.equals(o.getValue("specversion"))) {
      throw new IllegalArgumentException("specversion is not 1.0");
    }
    try {
      return new CloudEvent(
          string(o, "id"),
          string(o, "source"),
          string(o, "type"),
          string(o, "subject"),
          Instant.parse(string(o, "time")),
          o.getJsonObject("data"));
    } catch (ClassCastException e) {
      throw new IllegalArgumentException("a field has the wrong type");
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("time is not an RFC 3339 timestamp");
    } catch (NullPointerException e) {
      throw new IllegalArgumentException("event has no time");
    }
  }

  private static String string(JsonObject o, String name) {
    Object v = o.getValue(name);
    if (v != null && !(v instanceof String)) {
      throw new IllegalArgumentException(name + " is not a string");
    }
    return (String) v;
  }

  private static void require(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("event has no " + name);
    }
  }
}
