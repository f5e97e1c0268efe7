package dev.baedal.notify;

import dev.baedal.contract.events.NotificationRequested;
import dev.baedal.platform.events.CloudEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.text.NumberFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Turns a notice into its {@code notification.requested} event: the KakaoTalk-style text in Korean
 * and English from the templates, the recipient, and a button to the order. A notification's id is
 * derived from the order and the notice, so a redelivered or replayed event can never ask for the
 * same message twice.
 */
final class Messages {
  static final String SOURCE = "/notify";

  private final Templates templates = new Templates();
  private final String publicUrl;

  Messages(String publicUrl) {
    this.publicUrl =
        publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
  }

  /** The notification's id: one per order and notice. */
  static UUID id(UUID orderId, OrderNotices.Notice notice) {
    String key =
        notice.key().startsWith(OrderNotices.MODIFIED)
            ? notice.template() + "\n" + notice.key().substring(OrderNotices.MODIFIED.length())
            : notice.template();
    return UUID.nameUUIDFromBytes(
        ("notification\n" + orderId + "\n" + key).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The request for {@code notice} of {@code order}; {@code korean} has the Korean names of the
   * order's store (under "") and its menu items.
   */
  CloudEvent requested(
      UUID orderId, OrderNotices order, OrderNotices.Notice notice, Map<String, String> korean) {
    JsonObject v = notice.values();
    Map<String, String> values = new HashMap<>();
    values.put("storeName", v.getString("storeName"));
    values.put("items", items(v.getJsonArray("items"), Map.of()));
    values.put(
        "total",
        v.getInteger("total") == null
            ? "-"
            : NumberFormat.getIntegerInstance(Locale.KOREA).format(v.getInteger("total")));
    values.put(
        "eta",
        v.getInteger("etaMinutes") == null ? "-" : String.valueOf(v.getInteger("etaMinutes")));
    values.put("reason", v.getString("reason"));
    String en = templates.render(notice.template(), "en", values);
    values.put("storeName", korean.getOrDefault("", v.getString("storeName")));
    values.put("items", items(v.getJsonArray("items"), korean));
    String ko = templates.render(notice.template(), "ko", values);
    UUID id = id(orderId, notice);
    NotificationRequested data =
        new NotificationRequested(
            id,
            orderId,
            order.customerId(),
            order.phone(),
            notice.template(),
            ko + "\n" + en,
            ko,
            en,
            List.of(
                new NotificationRequested.Button(
                    templates.button("ko") + " " + templates.button("en"), orderUrl(orderId))));
    // the id of the event is the notification's: asking twice is one event
    return new CloudEvent(
        id.toString(), SOURCE, data.type().wire(), orderId.toString(), notice.at(), data.toJson());
  }

  /**
   * The order's page in the web UI: the customer page routes on the fragment ({@code #/order/…});
   * opened without a session it goes through the login page and back to the order.
   */
  String orderUrl(UUID orderId) {
    return publicUrl + "/customer.html#/order/" + orderId;
  }

  private static String items(JsonArray items, Map<String, String> names) {
    if (items == null) {
      return "-";
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < items.size(); i++) {
      JsonObject item = items.getJsonObject(i);
      if (i > 0) {
        out.append(", ");
      }
      String name = names.getOrDefault(item.getString("menuId"), item.getString("name"));
      out.append(name).append(" x").append(item.getInteger("quantity"));
    }
    return out.toString();
  }
}
