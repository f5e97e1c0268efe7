package dev.baedal.contract.events;

import dev.baedal.contract.EventType;
import io.vertx.core.json.JsonObject;

/** {@code delivery.delivered}: the rider handed the food over. */
public record DeliveryDelivered(DeliveryRef delivery, String riderId, int fee) implements Payload {
  public static DeliveryDelivered of(JsonObject d) {
    return new DeliveryDelivered(
        DeliveryRef.of(d), d.getString("riderId"), Fields.integer(d, "fee"));
  }

  @Override
  public EventType type() {
    return EventType.DELIVERY_DELIVERED;
  }

  @Override
  public JsonObject toJson() {
    return delivery.toJson().put("riderId", riderId).put("fee", fee);
  }
}
