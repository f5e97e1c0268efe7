package dev.baedal.order;

import dev.baedal.contract.events.OrderCancelRequested;
import dev.baedal.contract.events.OrderCancelled;
import dev.baedal.contract.events.OrderCompleted;
import dev.baedal.contract.events.OrderModificationRequested;
import dev.baedal.contract.events.OrderModified;
import dev.baedal.contract.events.OrderPlaced;
import dev.baedal.contract.events.OrderRef;
import dev.baedal.contract.events.Payload;
import dev.baedal.platform.events.CloudEvent;
import java.time.Instant;

/** The events of the order context; {@link Order}'s decisions say when. */
final class OrderEvents {
  static final String SOURCE = "/order";

  private OrderEvents() {}

  static CloudEvent placed(Order order) {
    return event(
        order,
        new OrderPlaced(
            ref(order),
            order.items(),
            order.subtotal().value(),
            order.deliveryFee().value(),
            order.total().value(),
            order.express(),
            order.deliveryAddress(),
            order.paymentId(),
            order.createdAt()),
        order.createdAt());
  }

  /** {@code order.cancel-requested}, asked while the order was {@code previousStatus}. */
  static CloudEvent cancelRequested(Order order, String previousStatus, Instant at) {
    return event(order, new OrderCancelRequested(ref(order), previousStatus), at);
  }

  /** {@code order.modification-requested}: the pending {@code modification} of {@code order}. */
  static CloudEvent modificationRequested(Order order, Modification m, Instant at) {
    return event(
        order,
        new OrderModificationRequested(
            ref(order),
            order.total().value(),
            m.modificationId(),
            m.items(),
            m.subtotal().value(),
            m.total().value(),
            m.delta().value(),
            m.requestedAt()),
        at);
  }

  /** {@code order.modified}: {@code before} became {@code after} by the change {@code m}. */
  static CloudEvent modified(Order before, Order after, Modification m, Instant at) {
    return event(
        before,
        new OrderModified(
            ref(before),
            m.modificationId(),
            after.items(),
            after.subtotal().value(),
            after.total().value(),
            before.total().value(),
            m.delta().value()),
        at);
  }

  static CloudEvent cancelled(Order order, Instant at) {
    return event(order, new OrderCancelled(ref(order), order.total().value()), at);
  }

  static CloudEvent completed(Order order, Instant at) {
    return event(order, new OrderCompleted(ref(order), order.total().value()), at);
  }

  private static OrderRef ref(Order order) {
    return new OrderRef(
        order.orderId(),
        order.customerId(),
        order.storeId(),
        order.storeName(),
        order.storeNameKo());
  }

  private static CloudEvent event(Order order, Payload data, Instant at) {
    return data.event(SOURCE, order.orderId().toString(), at);
  }
}
