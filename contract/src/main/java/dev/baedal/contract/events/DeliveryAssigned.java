package dev.baedal.contract.events;

import dev.baedal.contract.EventType;
import io.vertx.core.json.JsonObject;

/** {@code delivery.assigned}: a rider claimed it (the first one wins). */
public record DeliveryAssigned(
    DeliveryRef delivery, String riderId, double distanceKm, int etaMinutes, int fee)
    implements Payload {
  public static DeliveryAssigned of(JsonObject d) {
    return new DeliveryAssigned(
        DeliveryRef.of(d),
        d.getString("riderId"),
        Fields.number(d, "distanceKm"),
        Fields.integer(d, "etaMinutes"),
        Fields.integer(d, "fee"));
  }

  @Override
  public EventType type() {
    return EventType.DELIVERY_ASSIGNED;
  }

  @Override
  public JsonObject toJson() {
    return delivery
        .toJson()
        .put("riderId", riderId)
        .put("distanceKm", distanceKm)
        .put("etaMinutes", etaMinutes)
        .put("fee", fee);
  }
}
