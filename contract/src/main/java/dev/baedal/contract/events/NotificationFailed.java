package dev.baedal.contract.events;

import dev.baedal.contract.EventType;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/**
 * {@code notification.failed} (on {@code notification-receipts}, written by the Python notifier):
 * the notifier gave up on the message.
 *
 * @param status {@code failed}, as the type says
 * @param at when, as the notifier's clock saw it
 * @param attempts how many sends it took
 */
public record NotificationFailed(
    UUID notificationId,
    String orderId,
    String customerId,
    String template,
    String channel,
    String status,
    Instant at,
    int attempts,
    String error)
    implements Payload {

  public static NotificationFailed of(JsonObject d) {
    return new NotificationFailed(
        Fields.uuid(d, "notificationId"),
        d.getString("orderId"),
        d.getString("customerId"),
        d.getString("template"),
        d.getString("channel", "kakao"),
        d.getString("status"),
        Fields.instant(d, "at"),
        Fields.integer(d, "attempts"),
        d.getString("error"));
  }

  @Override
  public EventType type() {
    return EventType.NOTIFICATION_FAILED;
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
        .put("attempts", attempts)
        .put("error", error);
  }
}
