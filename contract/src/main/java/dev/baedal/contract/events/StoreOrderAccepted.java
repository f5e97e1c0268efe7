package dev.baedal.contract.events;

import dev.baedal.contract.EventType;
import io.vertx.core.json.JsonObject;

/** {@code store.order-accepted}: the store took the order. */
public record StoreOrderAccepted(OrderRef order) implements Payload {
  public static StoreOrderAccepted of(JsonObject d) {
    return new StoreOrderAccepted(OrderRef.of(d));
  }

  @Override
  public EventType type() {
    return EventType.STORE_ORDER_ACCEPTED;
  }

  @Override
  public JsonObject toJson() {
    return order.toJson();
  }
}
