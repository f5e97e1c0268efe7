package dev.baedal.contract.events;

import dev.baedal.contract.Address;
import dev.baedal.contract.EventType;
import io.vertx.core.json.JsonObject;

/**
 * {@code store.cooking-started}: the kitchen started, and here is what a rider needs to open the
 * delivery.
 */
public record StoreCookingStarted(
    OrderRef order, Point storeLocation, Address deliveryAddress, boolean express, int deliveryFee)
    implements Payload {
  public static StoreCookingStarted of(JsonObject d) {
    return new StoreCookingStarted(
        OrderRef.of(d),
        Point.of(Fields.object(d, "storeLocation")),
        Address.of(Fields.object(d, "deliveryAddress")),
        Fields.bool(d, "express"),
        Fields.integer(d, "deliveryFee"));
  }

  @Override
  public EventType type() {
    return EventType.STORE_COOKING_STARTED;
  }

  @Override
  public JsonObject toJson() {
    return order
        .toJson()
        .put("storeLocation", storeLocation.toJson())
        .put("deliveryAddress", deliveryAddress.toJson())
        .put("express", express)
        .put("deliveryFee", deliveryFee);
  }
}
