package dev.baedal.order;

import dev.baedal.contract.EventType;
import dev.baedal.contract.Item;
import dev.baedal.platform.events.CloudEvent;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** The events of the order context; {@link Order}'s decisions say when. */
final class OrderEvents {
  static final String SOURCE = "/order";
  static final String PLACED = EventType.ORDER_PLACED.wire();

  private OrderEvents() {}

  static CloudEvent placed(Order order) {
    return CloudEvent.of(
        SOURCE, PLACED, order.orderId().toString(), order.createdAt(), OrderJson.of(order));
  }

  /** {@code order.cancel-requested}, asked while the order was {@code previousStatus}. */
  static CloudEvent cancelRequested(Order order, String previousStatus, Instant at) {
    return event(
        EventType.ORDER_CANCEL_REQUESTED,
        order,
        OrderJson.eventBase(order).put("previousStatus", previousStatus),
        at);
  }

  /** {@code order.modification-requested}: the pending {@code modification} of {@code order}. */
  static CloudEvent modificationRequested(Order order, Modification modification, Instant at) {
    return event(
        EventType.ORDER_MODIFICATION_REQUESTED,
        order,
        OrderJson.eventBase(order)
            .put("previousTotal", order.total())
            .mergeIn(modification.toJson()),
        at);
  }

  /** {@code order.modified}: {@code before} became {@code after}. */
  static CloudEvent modified(Order before, Order after, String modificationId, Instant at) {
    return event(
        EventType.ORDER_MODIFIED,
        before,
        OrderJson.eventBase(before)
            .put("modificationId", modificationId)
            .put("items", Item.json(after.items()))
            .put("subtotal", after.subtotal())
            .put("total", after.total())
            .put("previousTotal", before.total())
            .put("delta", after.total() - before.total()),
        at);
  }

  /** {@code order.completed} or {@code order.cancelled}, with the order's total. */
  static CloudEvent closed(EventType type, Order order, Instant at) {
    return event(type, order, OrderJson.eventBase(order).put("total", order.total()), at);
  }

  private static CloudEvent event(EventType type, Order order, JsonObject data, Instant at) {
    return CloudEvent.of(SOURCE, type.wire(), order.orderId().toString(), at, data);
  }
}
