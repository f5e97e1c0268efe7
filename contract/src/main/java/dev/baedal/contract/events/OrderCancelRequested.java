package dev.baedal.contract.events;

import dev.baedal.contract.EventType;
import io.vertx.core.json.JsonObject;

/**
 * {@code order.cancel-requested}: the customer asked to cancel; the store confirms or refuses.
 *
 * @param previousStatus the status the order was in when asked ({@code PAID} or {@code ACCEPTED})
 */
public record OrderCancelRequested(OrderRef order, String previousStatus) implements Payload {
  public static OrderCancelRequested of(JsonObject d) {
    return new OrderCancelRequested(OrderRef.of(d), d.getString("previousStatus"));
  }

  @Override
  public EventType type() {
    return EventType.ORDER_CANCEL_REQUESTED;
  }

  @Override
  public JsonObject toJson() {
    return order.toJson().put("previousStatus", previousStatus);
  }
}
