package dev.baedal.contract.events;

import dev.baedal.contract.EventType;
import io.vertx.core.json.JsonObject;

/**
 * {@code delivery.opened}: riders near the store may claim the delivery.
 *
 * @param deliveryArea where it goes, to the district: {@code {text, lat, lng}}, never the address
 *     itself
 * @param fee what the rider earns, in won
 */
public record DeliveryOpened(
    DeliveryRef delivery, Point storeLocation, JsonObject deliveryArea, boolean express, int fee)
    implements Payload {
  public static DeliveryOpened of(JsonObject d) {
    return new DeliveryOpened(
        DeliveryRef.of(d),
        Point.of(Fields.object(d, "storeLocation")),
        Fields.object(d, "deliveryArea"),
        Fields.bool(d, "express"),
        Fields.integer(d, "fee"));
  }

  @Override
  public EventType type() {
    return EventType.DELIVERY_OPENED;
  }

  @Override
  public JsonObject toJson() {
    return delivery
        .toJson()
        .put("storeLocation", storeLocation.toJson())
        .put("deliveryArea", deliveryArea.copy())
        .put("express", express)
        .put("fee", fee);
  }
}
