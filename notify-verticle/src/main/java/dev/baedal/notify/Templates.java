package dev.baedal.notify;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The KakaoTalk-style message templates, in Korean and English, from {@code
 * templates/notifications.json}; {@code {name}} placeholders are filled from the order.
 */
final class Templates {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\w+)}");
  private final JsonObject templates;

  Templates() {
    try (InputStream in = Templates.class.getResourceAsStream("/templates/notifications.json")) {
      templates = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  boolean has(String template) {
    return templates.containsKey(template);
  }

  /** The text of {@code template} in {@code lang} ("ko" or "en") with the values filled in. */
  String render(String template, String lang, Map<String, String> values) {
    JsonObject t = templates.getJsonObject(template);
    if (t == null) {
      throw new IllegalArgumentException("no template " + template);
    }
    Matcher m = PLACEHOLDER.matcher(t.getString(lang));
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      m.appendReplacement(out, Matcher.quoteReplacement(value == null ? "-" : value));
    }
    m.appendTail(out);
    return out.toString();
  }

  String button(String lang) {
    return templates.getJsonObject("button").getString(lang);
  }
}
