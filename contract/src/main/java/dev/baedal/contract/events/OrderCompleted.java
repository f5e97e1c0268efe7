package dev.baedal.contract.events;

import dev.baedal.contract.EventType;
import io.vertx.core.json.JsonObject;

/** {@code order.completed}: the customer confirmed receipt. */
public record OrderCompleted(OrderRef order, int total) implements Payload {
  public static OrderCompleted of(JsonObject d) {
    return new OrderCompleted(OrderRef.of(d), Fields.integer(d, "total"));
  }

  @Override
  public EventType type() {
    return EventType.ORDER_COMPLETED;
  }

  @Override
  public JsonObject toJson() {
    return order.toJson().put("total", total);
  }
}
