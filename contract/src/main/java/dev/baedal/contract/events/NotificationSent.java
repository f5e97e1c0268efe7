package dev.baedal.contract.events;

import dev.baedal.contract.EventType;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/**
 * {@code notification.sent} (on {@code notification-receipts}, written by the Python notifier): the
 * notifier delivered the message.
 *
 * @param status {@code sent}, as the type says
 * @param at when, as the notifier's clock saw it
 * @param attempts how many sends it took
 */
public record NotificationSent(
    UUID notificationId,
    String orderId,
    String customerId,
    String template,
    String channel,
    String status,
    Instant at,
    int attempts)
    implements Payload {

  public static NotificationSent of(JsonObject d) {
    return new NotificationSent(
        Fields.uuid(d, "notificationId"),
        d.getString("orderId"),
        d.getString("customerId"),
        d.getString("template"),
        d.getString("channel", "kakao"),
        d.getString("status"),
        Fields.instant(d, "at"),
        Fields.integer(d, "attempts"));
  }

  @Override
  public EventType type() {
    return EventType.NOTIFICATION_SENT;
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("notificationId", notificationId.toString())
        .put("orderId", orderId)
        .put("customerId", customerId)
        .put("template", template)
        .put("channel", channel)
        .put("status", status)
        .put("at", at.toString())
        .put("attempts", attempts);
  }
}
