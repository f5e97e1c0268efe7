package dev.baedal.contract.events;

import dev.baedal.contract.EventType;
import io.vertx.core.json.JsonObject;

/** {@code store.order-rejected}: the store refused the order; the payment refunds {@code total}. */
public record StoreOrderRejected(OrderRef order, String reason, int total) implements Payload {
  public static StoreOrderRejected of(JsonObject d) {
    return new StoreOrderRejected(
        OrderRef.of(d), d.getString("reason"), Fields.integer(d, "total"));
  }

  @Override
  public EventType type() {
    return EventType.STORE_ORDER_REJECTED;
  }

  @Override
  public JsonObject toJson() {
    return order.toJson().put("reason", reason).put("total", total);
  }
}
