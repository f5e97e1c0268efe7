package dev.baedal.contract.events;

import dev.baedal.contract.EventType;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/**
 * {@code notification.sent} or {@code notification.failed} (on {@code notification-receipts},
 * written by the Python notifier): what became of a {@link NotificationRequested}. The two types
 * carry the same fields; {@code status} says which it is.
 *
 * @param status {@code sent} or {@code failed}
 * @param at when, as the notifier's clock saw it
 * @param attempts how many sends it took
 * @param error why it failed (null when sent)
 */
public record NotificationReceipt(
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

  public static final String SENT = "sent";
  public static final String FAILED = "failed";

  public NotificationReceipt {
    if (!SENT.equals(status) && !FAILED.equals(status)) {
      throw new IllegalArgumentException("data.status is neither sent nor failed: " + status);
    }
  }

  public static NotificationReceipt of(JsonObject d) {
    return new NotificationReceipt(
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

  /**
   * {@code sent} or {@code failed} as the event's type says: what consumers go by, rather than the
   * {@code status} field beside it.
   */
  public static String statusOf(EventType type) {
    return type == EventType.NOTIFICATION_SENT ? SENT : FAILED;
  }

  public boolean sent() {
    return SENT.equals(status);
  }

  @Override
  public EventType type() {
    return sent() ? EventType.NOTIFICATION_SENT : EventType.NOTIFICATION_FAILED;
  }

  @Override
  public JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("notificationId", notificationId.toString())
            .put("orderId", orderId)
            .put("customerId", customerId)
            .put("template", template)
            .put("channel", channel)
            .put("status", status)
            .put("at", at.toString())
            .put("attempts", attempts);
    return sent() ? json : json.put("error", error);
  }
}
