package dev.baedal.order;

import dev.baedal.platform.events.CloudEvent;

/** The events the order context publishes on {@code order-events}. */
final class OrderEvents {
  static final String SOURCE = "/order";
  static final String PLACED = "order.placed";

  private OrderEvents() {}

  static CloudEvent placed(Order order) {
    return new CloudEvent(
        java.util.UUID.randomUUID().toString(),
        SOURCE,
        PLACED,
        order.orderId().toString(),
        order.createdAt(),
        order.toJson());
  }
}
