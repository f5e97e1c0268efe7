package dev.baedal.contract.events;

import dev.baedal.contract.EventType;
import io.vertx.core.json.JsonObject;

/** {@code delivery.picked-up}: the rider has the food. */
public record DeliveryPickedUp(DeliveryRef delivery, String riderId) implements Payload {
  public static DeliveryPickedUp of(JsonObject d) {
    return new DeliveryPickedUp(DeliveryRef.of(d), d.getString("riderId"));
  }

  @Override
  public EventType type() {
    return EventType.DELIVERY_PICKED_UP;
  }

  @Override
  public JsonObject toJson() {
    return delivery.toJson().put("riderId", riderId);
  }
}
