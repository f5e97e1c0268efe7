package dev.baedal.contract.events;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/**
 * Reads an event's required fields: a field that is missing or of the wrong type fails with an
 * {@link IllegalArgumentException} that names it, which the consumer treats as a poison record
 * (dead-lettered with that reason), never as a zero or a null.
 */
final class Fields {
  private Fields() {}

  static UUID uuid(JsonObject d, String name) {
    String value = string(d, name);
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("data." + name + " is not a UUID: " + d.getValue(name));
    }
  }

  static int integer(JsonObject d, String name) {
    return required(d, name, Number.class).intValue();
  }

  static double number(JsonObject d, String name) {
    return required(d, name, Number.class).doubleValue();
  }

  static boolean bool(JsonObject d, String name) {
    return required(d, name, Boolean.class);
  }

  static Instant instant(JsonObject d, String name) {
    String value = string(d, name);
    try {
      return Instant.parse(value);
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("data." + name + " is not a time: " + d.getValue(name));
    }
  }

  static JsonObject object(JsonObject d, String name) {
    return d.getJsonObject(require(d, name));
  }

  static JsonArray array(JsonObject d, String name) {
    return d.getJsonArray(require(d, name));
  }

  private static String string(JsonObject d, String name) {
    return required(d, name, String.class);
  }

  private static <T> T required(JsonObject d, String name, Class<T> type) {
    Object value = d.getValue(require(d, name));
    if (!type.isInstance(value)) {
      throw new IllegalArgumentException(
          "data." + name + " is not a " + type.getSimpleName().toLowerCase() + ": " + value);
    }
    return type.cast(value);
  }

  private static String require(JsonObject d, String name) {
    if (d.getValue(name) == null) {
      throw new IllegalArgumentException("data." + name + " is missing");
    }
    return name;
  }
}
