package dev.baedal.order;

import dev.baedal.contract.EventType;
import dev.baedal.platform.events.CloudEvent;
import java.util.UUID;

/** The {@code order.placed} event; the other order events come from {@link Order}'s decisions. */
final class OrderEvents {
  static final String PLACED = EventType.ORDER_PLACED.wire();

  private OrderEvents() {}

  static CloudEvent placed(Order order) {
    return new CloudEvent(
        UUID.randomUUID().toString(),
        Order.SOURCE,
        PLACED,
        order.orderId().toString(),
        order.createdAt(),
        OrderJson.of(order));
  }
}
