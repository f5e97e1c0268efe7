package dev.baedal.platform;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The checks on the Kafka security settings: they must fit together — credentials for a SASL
 * protocol, no SASL or TLS setting that the protocol would silently ignore, stores that exist, and
 * no store password that the PEM format refuses.
 */
final class KafkaSecurity {
  private KafkaSecurity() {}

  /** Adds a message naming the setting to {@code errors} for each problem in the typed settings. */
  static void check(JsonObject s, List<String> errors) {
    String protocol = s.getString("kafka.security-protocol");
    boolean sasl = protocol.startsWith("SASL_");
    boolean tls = protocol.endsWith("SSL");
    checkSasl(s, protocol, sasl, errors);
    checkIgnored(s, protocol, sasl, tls, errors);
    if (tls) {
      checkStores(s, errors);
    }
  }

  /** A SASL protocol needs a mechanism and credentials. */
  private static void checkSasl(JsonObject s, String protocol, boolean sasl, List<String> errors) {
    boolean jaas = !s.getString("kafka.sasl.jaas-config").isEmpty();
    boolean user = !s.getString("kafka.sasl.username").isEmpty();
    boolean password = !s.getString("kafka.sasl.password").isEmpty();
    if (sasl && s.getString("kafka.sasl.mechanism").isEmpty()) {
      errors.add(problem("kafka.sasl.mechanism", "is required with " + protocol));
    }
    if (sasl && !jaas && !(user && password)) {
      errors.add(
          problem(
              "kafka.sasl.username",
              "and kafka.sasl.password (or kafka.sasl.jaas-config) are required with " + protocol));
    }
  }

  /** No SASL setting without SASL, no TLS setting without TLS: the protocol would ignore them. */
  private static void checkIgnored(
      JsonObject s, String protocol, boolean sasl, boolean tls, List<String> errors) {
    for (String key :
        List.of("kafka.sasl.username", "kafka.sasl.password", "kafka.sasl.jaas-config")) {
      if (!sasl && !s.getString(key).isEmpty()) {
        errors.add(problem(key, "is set but kafka.security-protocol is " + protocol));
      }
    }
    for (String key :
        List.of(
            "kafka.ssl.truststore-location",
            "kafka.ssl.truststore-password",
            "kafka.ssl.keystore-location",
            "kafka.ssl.keystore-password",
            "kafka.ssl.key-password")) {
      if (!tls && !s.getString(key).isEmpty()) {
        errors.add(problem(key, "is set but kafka.security-protocol is " + protocol));
      }
    }
  }

  /** With TLS: each store given can be read, and a PEM store has no password. */
  private static void checkStores(JsonObject s, List<String> errors) {
    for (String store : List.of("truststore", "keystore")) {
      String location = s.getString("kafka.ssl." + store + "-location");
      if (location.isEmpty()) {
        continue;
      }
      if (!Files.isReadable(Path.of(location))) {
        errors.add(problem("kafka.ssl." + store + "-location", "cannot read " + location));
      }
      if (s.getString("kafka.ssl." + store + "-type").equals("PEM")
          && !s.getString("kafka.ssl." + store + "-password").isEmpty()) {
        errors.add(
            problem(
                "kafka.ssl." + store + "-password",
                "must be empty for a PEM "
                    + store
                    + (store.equals("keystore") ? " (use kafka.ssl.key-password)" : "")));
      }
    }
  }

  private static String problem(String key, String message) {
    return "invalid setting " + key + " (" + Settings.envName(key) + "): " + message;
  }
}
