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
        typed.put(key, SettingValues.coerce(key, DEFAULTS.getValue(key), raw.getValue(key)));
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
      KafkaSecurity.check(typed, errors);
    }
    if (!errors.isEmpty()) {
      throw new ConfigException(String.join("; ", errors));
    }
    return new Settings(typed);
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
