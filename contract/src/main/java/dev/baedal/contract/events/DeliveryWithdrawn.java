package dev.baedal.contract.events;

import dev.baedal.contract.EventType;
import io.vertx.core.json.JsonObject;

/**
 * {@code delivery.withdrawn}: the order was cancelled before pick-up; no rider goes.
 *
 * @param riderId the rider who had claimed it, or null
 */
public record DeliveryWithdrawn(DeliveryRef delivery, String reason, String riderId)
    implements Payload {
  public static DeliveryWithdrawn of(JsonObject d) {
    return new DeliveryWithdrawn(DeliveryRef.of(d), d.getString("reason"), d.getString("riderId"));
  }

  @Override
  public EventType type() {
    return EventType.DELIVERY_WITHDRAWN;
  }

  @Override
  public JsonObject toJson() {
    return delivery.toJson().put("reason", reason).put("riderId", riderId);
  }
}
