package dev.baedal.contract.events;

import dev.baedal.contract.EventType;
import io.vertx.core.json.JsonObject;

/** {@code order.cancelled}: the store confirmed the cancel; the payment refunds {@code total}. */
public record OrderCancelled(OrderRef order, int total) implements Payload {
  public static OrderCancelled of(JsonObject d) {
    return new OrderCancelled(OrderRef.of(d), Fields.integer(d, "total"));
  }

  @Override
  public EventType type() {
    return EventType.ORDER_CANCELLED;
  }

  @Override
  public JsonObject toJson() {
    return order.toJson().put("total", total);
  }
}
