package dev.baedal.contract.events;

import dev.baedal.contract.EventType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code notification.requested} (on {@code notification-requests}): a KakaoTalk-style message for
 * the Python notifier to deliver once. Its {@code notificationId} is derived from the order and the
 * message, so the same message is never asked for twice.
 *
 * @param recipientPhone the customer's phone, or null
 * @param template what the message is about ({@code order_accepted}, say)
 * @param text the Korean text, a line break, then the English
 */
public record NotificationRequested(
    UUID notificationId,
    UUID orderId,
    String customerId,
    String recipientPhone,
    String template,
    String text,
    String textKo,
    String textEn,
    List<Button> buttons)
    implements Payload {

  /** A button under the message: {@code {title, url}}. */
  public record Button(String title, String url) {
    JsonObject toJson() {
      return new JsonObject().put("title", title).put("url", url);
    }
  }

  public NotificationRequested {
    buttons = List.copyOf(buttons);
  }

  public static NotificationRequested of(JsonObject d) {
    JsonArray json = d.getJsonArray("buttons", new JsonArray());
    List<Button> buttons = new ArrayList<>(json.size());
    for (int i = 0; i < json.size(); i++) {
      JsonObject b = json.getJsonObject(i);
      buttons.add(new Button(b.getString("title"), b.getString("url")));
    }
    return new NotificationRequested(
        Fields.uuid(d, "notificationId"),
        Fields.uuid(d, "orderId"),
        d.getString("customerId"),
        d.getString("recipientPhone"),
        d.getString("template"),
        d.getString("text"),
        d.getString("textKo"),
        d.getString("textEn"),
        buttons);
  }

  @Override
  public EventType type() {
    return EventType.NOTIFICATION_REQUESTED;
  }

  @Override
  public JsonObject toJson() {
    JsonArray json = new JsonArray();
    buttons.forEach(b -> json.add(b.toJson()));
    return new JsonObject()
        .put("notificationId", notificationId.toString())
        .put("orderId", orderId.toString())
        .put("customerId", customerId)
        .put("recipientPhone", recipientPhone)
        .put("template", template)
        .put("text", text)
        .put("textKo", textKo)
        .put("textEn", textEn)
        .put("buttons", json);
  }
}
