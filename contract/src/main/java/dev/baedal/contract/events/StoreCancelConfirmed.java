package dev.baedal.contract.events;

import dev.baedal.contract.EventType;
import io.vertx.core.json.JsonObject;

/**
 * {@code store.cancel-confirmed}: the store agreed to the cancel (cooking had not started); {@code
 * total} is refunded.
 */
public record StoreCancelConfirmed(OrderRef order, int total) implements Payload {
  public static StoreCancelConfirmed of(JsonObject d) {
    return new StoreCancelConfirmed(OrderRef.of(d), Fields.integer(d, "total"));
  }

  @Override
  public EventType type() {
    return EventType.STORE_CANCEL_CONFIRMED;
  }

  @Override
  public JsonObject toJson() {
    return order.toJson().put("total", total);
  }
}
