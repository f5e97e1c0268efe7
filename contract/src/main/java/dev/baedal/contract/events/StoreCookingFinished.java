package dev.baedal.contract.events;

import dev.baedal.contract.EventType;
import io.vertx.core.json.JsonObject;

/** {@code store.cooking-finished}: the food is ready to be picked up. */
public record StoreCookingFinished(OrderRef order) implements Payload {
  public static StoreCookingFinished of(JsonObject d) {
    return new StoreCookingFinished(OrderRef.of(d));
  }

  @Override
  public EventType type() {
    return EventType.STORE_COOKING_FINISHED;
  }

  @Override
  public JsonObject toJson() {
    return order.toJson();
  }
}
