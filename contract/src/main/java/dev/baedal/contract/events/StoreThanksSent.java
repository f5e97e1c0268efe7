package dev.baedal.contract.events;

import dev.baedal.contract.EventType;
import io.vertx.core.json.JsonObject;

/** {@code store.thanks-sent}: the store's thank-you once the order completed. */
public record StoreThanksSent(OrderRef order, String message) implements Payload {
  public static StoreThanksSent of(JsonObject d) {
    return new StoreThanksSent(OrderRef.of(d), d.getString("message"));
  }

  @Override
  public EventType type() {
    return EventType.STORE_THANKS_SENT;
  }

  @Override
  public JsonObject toJson() {
    return order.toJson().put("message", message);
  }
}
