package dev.baedal.contract.events;

import dev.baedal.contract.EventType;
import io.vertx.core.json.JsonObject;

/** {@code store.cancel-refused}: too late to cancel. */
public record StoreCancelRefused(OrderRef order, String reason) implements Payload {
  public static StoreCancelRefused of(JsonObject d) {
    return new StoreCancelRefused(OrderRef.of(d), d.getString("reason"));
  }

  @Override
  public EventType type() {
    return EventType.STORE_CANCEL_REFUSED;
  }

  @Override
  public JsonObject toJson() {
    return order.toJson().put("reason", reason);
  }
}
