package dev.baedal.platform;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Baedal's configuration: flat dotted keys ({@code http.port}) whose defaults live in {@code
 * baedal-defaults.json}. Later sources win: defaults &lt; config file &lt; system properties
 * ({@code -Dbaedal.http.port=9090}) &lt; environment ({@code BAEDAL_HTTP_PORT=9090}).
 *
 * <p>Every value is checked against the type of its default and the rules below when the settings
 * are built, so a bad value fails at start with a message naming the setting.
 */
public final class Settings {
  private static final JsonObject DEFAULTS = readDefaults();

  /** The values a setting may take, for settings with a fixed set of them. */
  private static final Map<String, List<String>> CHOICES =
      Map.of(
          "kafka.security-protocol", List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"),
          "kafka.sasl.mechanism", List.of("", "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"),
          "kafka.ssl.truststore-type", List.of("PEM", "PKCS12", "JKS"),
          "kafka.ssl.keystore-type", List.of("PEM", "PKCS12", "JKS"),
          "kafka.ssl.endpoint-identification", List.of("https", "none"));

  /** What {@code baedal settings}, logs and error messages show instead of a secret. */
  public static final String MASK = "****";

  private final JsonObject values;

  private Settings(JsonObject values) {
    this.values = values;
  }

  /** The defaults alone. */
  public static Settings defaults() {
    return new Settings(DEFAULTS.copy());
  }

  /**
   * Reads every source with vertx-config and validates the result.
   *
   * @param file an optional JSON config file (null for none)
   */
  public static Future<Settings> load(Vertx vertx, Path file) {
    ConfigRetrieverOptions options = new ConfigRetrieverOptions().setIncludeDefaultStores(false);
    options.addStore(new ConfigStoreOptions().setType("json").setConfig(DEFAULTS.copy()));
    if (file != null) {
      try {
        options.addStore(new ConfigStoreOptions().setType("json").setConfig(readFile(file)));
      } catch (ConfigException e) {
        return Future.failedFuture(e);
      }
    }
    options.addStore(new ConfigStoreOptions().setType("sys").setConfig(rawData()));
    options.addStore(new ConfigStoreOptions().setType("env").setConfig(rawData()));
    ConfigRetriever retriever = ConfigRetriever.create(vertx, options);
    return retriever
        .getConfig()
        .eventually(retriever::close)
        .compose(
            merged -> {
              try {
                return Future.succeededFuture(fromSources(merged));
              } catch (ConfigException e) {
                return Future.failedFuture(e);
              }
            });
  }

  /** Settings from a flat JSON object (e.g. a verticle's {@code config()}), over the defaults. */
  public static Settings of(JsonObject flat) {
    JsonObject merged = DEFAULTS.copy();
    for (Map.Entry<String, Object> e : flat) {
      if (!DEFAULTS.containsKey(e.getKey())) {
        throw new ConfigException("unknown setting '" + e.getKey() + "'");
      }
      merged.put(e.getKey(), e.getValue());
    }
    return validated(merged);
  }

  /** A copy with some values replaced, validated again. */
  public Settings with(String key, Object value) {
    JsonObject copy = values.copy();
    copy.put(key, value);
    return of(copy);
  }

  private static Settings fromSources(JsonObject merged) {
    JsonObject flat = new JsonObject();
    for (String key : DEFAULTS.fieldNames()) {
      Object value = merged.getValue(key);
      Object sys = merged.getValue("baedal." + key);
      Object env = merged.getValue(envName(key));
      if (env != null) {
        value = env;
      } else if (sys != null) {
        value = sys;
      }
      flat.put(key, value);
    }
    return validated(flat);
  }

  private static Settings validated(JsonObject raw) {
    JsonObject typed = new JsonObject();
    List<String> errors = new ArrayList<>();
    for (String key : DEFAULTS.fieldNames()) {
      try {
        typed.put(key, coerce(key, DEFAULTS.getValue(key), raw.getValue(key)));
      } catch (IllegalArgumentException e) {
        errors.add(
            "invalid setting "
                + key
                + " ("
                + envName(key)
                + "="
                + shown(key, raw.getValue(key))
                + "): "
                + e.getMessage());
      }
    }
    if (errors.isEmpty()) {
      checkKafkaSecurity(typed, errors);
    }
    if (!errors.isEmpty()) {
      throw new ConfigException(String.join("; ", errors));
    }
    return new Settings(typed);
  }

  /**
   * The Kafka security settings must fit together: credentials for a SASL protocol, no SASL or TLS
   * setting that the protocol would silently ignore, stores that exist, and no store password that
   * the PEM format refuses.
   */
  private static void checkKafkaSecurity(JsonObject s, List<String> errors) {
    String protocol = s.getString("kafka.security-protocol");
    boolean sasl = protocol.startsWith("SASL_");
    boolean tls = protocol.endsWith("SSL");
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
    for (String store : List.of("truststore", "keystore")) {
      String location = s.getString("kafka.ssl." + store + "-location");
      if (location.isEmpty() || !tls) {
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
    return "invalid setting " + key + " (" + envName(key) + "): " + message;
  }

  /**
   * True for a setting that holds a secret (a password, a JAAS configuration with one, the JWT key,
   * the card key): its value is never printed or logged, only {@link #MASK}.
   */
  public static boolean isSecret(String key) {
    return key.endsWith("password")
        || key.endsWith("secret")
        || key.endsWith("jaas-config")
        || key.endsWith("-key");
  }

  /**
   * The value as it may be shown: {@link #MASK} for a secret that is set, and a URL's password
   * ({@code postgresql://user:****@host/db}) masked too, also in a value that is not a valid URL.
   */
  public static String shown(String key, Object value) {
    String text = value == null ? "" : String.valueOf(value);
    if (isSecret(key) && !text.isEmpty()) {
      return MASK;
    }
    // user:password@ after a scheme, up to the last @ (a password may contain @ or /); or, in a
    // value without a scheme, user:password@ anywhere; and a password=... parameter
    String masked =
        text.contains("://")
            ? text.replaceAll("(?s)(://[^:@/]*:).*@", "$1" + MASK + "@")
            : text.replaceAll("(?s)([^:/@]*:)[^/]*@", "$1" + MASK + "@");
    return masked.replaceAll("(?i)(password=)[^&]*", "$1" + MASK);
  }

  private static Object coerce(String key, Object def, Object value) {
    String text = String.valueOf(value).trim();
    Object typed;
    if (def instanceof Integer) {
      try {
        typed = value instanceof Number n ? n.intValue() : Integer.parseInt(text);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not an integer");
      }
      int v = (Integer) typed;
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
    } else if (def instanceof Number) {
      try {
        typed = value instanceof Number n ? n.doubleValue() : Double.parseDouble(text);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a number");
      }
      double d = (Double) typed;
      if (key.endsWith("rate") && (d < 0 || d > 1)) {
        throw new IllegalArgumentException("a rate is between 0.0 and 1.0");
      }
    } else if (def instanceof Boolean) {
      if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
        throw new IllegalArgumentException("not true or false");
      }
      typed = Boolean.parseBoolean(text);
    } else {
      typed = value == null ? "" : text;
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
      if (key.equals("kafka")
          && !text.isEmpty()
          && !text.matches("[^,\\s]+:\\d+(,[^,\\s]+:\\d+)*")) {
        throw new IllegalArgumentException("expected host:port[,host:port...]");
      }
      if (key.endsWith(".url") && key.startsWith("public") && !text.matches("https?://.+")) {
        throw new IllegalArgumentException("expected an http(s) URL");
      }
    }
    return typed;
  }

  /** {@code http.port} -> {@code BAEDAL_HTTP_PORT}. */
  public static String envName(String key) {
    return "BAEDAL_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** Every setting with its default, sorted by key (for the README and {@code --help}). */
  public static Map<String, Object> describe() {
    return new TreeMap<>(DEFAULTS.getMap());
  }

  public String string(String key) {
    return values.getString(require(key));
  }

  public int integer(String key) {
    return values.getInteger(require(key));
  }

  public double decimal(String key) {
    return values.getDouble(require(key));
  }

  public boolean flag(String key) {
    return values.getBoolean(require(key));
  }

  /** The settings as the flat JSON object that verticles receive as their config. */
  public JsonObject toJson() {
    return values.copy();
  }

  private String require(String key) {
    if (!values.containsKey(key)) {
      throw new IllegalArgumentException("no such setting: " + key);
    }
    return key;
  }

  private static JsonObject readFile(Path file) {
    JsonObject json;
    try {
      json = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
    } catch (DecodeException e) {
      throw new ConfigException("config file " + file + " is not a JSON object: " + e.getMessage());
    }
    for (String key : json.fieldNames()) {
      if (!DEFAULTS.containsKey(key)) {
        throw new ConfigException("unknown setting '" + key + "' in config file " + file);
      }
    }
    return json;
  }

  private static JsonObject rawData() {
    return new JsonObject().put("raw-data", true);
  }

  private static JsonObject readDefaults() {
    try (InputStream in = Settings.class.getResourceAsStream("/baedal-defaults.json")) {
      if (in == null) {
        throw new IllegalStateException("baedal-defaults.json is missing from the classpath");
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Thrown for bad configuration; its message names the setting. */
  public static final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
      super(message);
    }
  }
}
