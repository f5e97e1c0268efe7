package dev.baedal.platform;

import java.util.List;
import java.util.Map;

/**
 * Turns a raw setting value (from a file, a system property or the environment) into the type of
 * its default, and checks it against the rules for its key; a bad value throws an {@link
 * IllegalArgumentException} whose message says what is expected.
 */
final class SettingValues {
  /** The values a setting may take, for settings with a fixed set of them. */
  private static final Map<String, List<String>> CHOICES =
      Map.of(
          "kafka.security-protocol", List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"),
          "kafka.sasl.mechanism", List.of("", "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"),
          "kafka.ssl.truststore-type", List.of("PEM", "PKCS12", "JKS"),
          "kafka.ssl.keystore-type", List.of("PEM", "PKCS12", "JKS"),
          "kafka.ssl.endpoint-identification", List.of("https", "none"));

  private SettingValues() {}

  static Object coerce(String key, Object def, Object value) {
    String text = String.valueOf(value).trim();
    if (def instanceof Integer) {
      return integer(key, value, text);
    } else if (def instanceof Number) {
      return decimal(key, value, text);
    } else if (def instanceof Boolean) {
      if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
        throw new IllegalArgumentException("not true or false");
      }
      return Boolean.parseBoolean(text);
    } else {
      return string(key, value, text);
    }
  }

  private static Object integer(String key, Object value, String text) {
    int v;
    try {
      v = value instanceof Number n ? n.intValue() : Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not an integer");
    }
    if (key.endsWith("port") && (v < 0 || v > 65535)) {
      throw new IllegalArgumentException("a port is between 0 and 65535");
    }
    if (key.endsWith("retention-ms") && v < -1) {
      throw new IllegalArgumentException("must be -1 (keep for ever) or a duration in ms");
    }
    if (v < 0 && !key.endsWith("retention-ms")) {
      throw new IllegalArgumentException("must not be negative");
    }
    if ((key.endsWith("pool-size") || key.endsWith("partitions") || key.endsWith("batch-size"))
        && v < 1) {
      throw new IllegalArgumentException("must be at least 1");
    }
    return v;
  }

  private static Object decimal(String key, Object value, String text) {
    double d;
    try {
      d = value instanceof Number n ? n.doubleValue() : Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a number");
    }
    if (key.endsWith("rate") && (d < 0 || d > 1)) {
      throw new IllegalArgumentException("a rate is between 0.0 and 1.0");
    }
    return d;
  }

  private static Object string(String key, Object value, String text) {
    Object typed = value == null ? "" : text;
    List<String> choices = CHOICES.get(key);
    if (choices != null) {
      typed =
          choices.stream()
              .filter(c -> c.equalsIgnoreCase(text))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "expected one of " + String.join(", ", choices)));
    }
    if (key.equals("pg.url") && !text.isEmpty() && !text.matches("postgres(ql)?://.+")) {
      throw new IllegalArgumentException(
          "expected postgresql://user[:password]@host[:port]/database");
    }
    if (key.equals("kafka") && !text.isEmpty() && !text.matches("[^,\\s]+:\\d+(,[^,\\s]+:\\d+)*")) {
      throw new IllegalArgumentException("expected host:port[,host:port...]");
    }
    if (key.endsWith(".url") && key.startsWith("public") && !text.matches("https?://.+")) {
      throw new IllegalArgumentException("expected an http(s) URL");
    }
    return typed;
  }
}
