package dev.baedal.store;

import dev.baedal.contract.EventType;
import dev.baedal.contract.Item;
import dev.baedal.platform.events.CloudEvent;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** The events the store context publishes on {@code store-events}; {@link StoreOrder} says when. */
final class StoreEvents {
  static final String SOURCE = "/store";

  private StoreEvents() {}

  static CloudEvent accepted(StoreOrder order, Instant at) {
    return event(EventType.STORE_ORDER_ACCEPTED, order, base(order), at);
  }

  /** {@code store.order-rejected}, with the reason and the total to refund. */
  static CloudEvent rejected(StoreOrder order, String reason, Instant at) {
    return event(
        EventType.STORE_ORDER_REJECTED,
        order,
        base(order).put("reason", reason).put("total", order.total()),
        at);
  }

  /** {@code store.cooking-started}, with what a rider needs to open the delivery. */
  static CloudEvent cookingStarted(StoreOrder order, JsonObject storeLocation, Instant at) {
    return event(
        EventType.STORE_COOKING_STARTED,
        order,
        base(order)
            .put("storeLocation", storeLocation)
            .put("deliveryAddress", order.deliveryAddress().toJson())
            .put("express", order.express())
            .put("deliveryFee", order.deliveryFee()),
        at);
  }

  static CloudEvent cookingFinished(StoreOrder order, Instant at) {
    return event(EventType.STORE_COOKING_FINISHED, order, base(order), at);
  }

  /** {@code store.cancel-confirmed}, with the total to refund. */
  static CloudEvent cancelConfirmed(StoreOrder order, Instant at) {
    return event(
        EventType.STORE_CANCEL_CONFIRMED, order, base(order).put("total", order.total()), at);
  }

  static CloudEvent cancelRefused(StoreOrder order, String reason, Instant at) {
    return event(EventType.STORE_CANCEL_REFUSED, order, base(order).put("reason", reason), at);
  }

  /** {@code store.modification-confirmed}: {@code changed} has the new items and total. */
  static CloudEvent modificationConfirmed(StoreOrder changed, JsonObject modification, Instant at) {
    return event(
        EventType.STORE_MODIFICATION_CONFIRMED,
        changed,
        verdict(changed, modification)
            .put("items", Item.json(changed.items()))
            .put("total", changed.total()),
        at);
  }

  static CloudEvent modificationRefused(
      StoreOrder order, JsonObject modification, String reason, Instant at) {
    return event(
        EventType.STORE_MODIFICATION_REFUSED,
        order,
        verdict(order, modification).put("reason", reason),
        at);
  }

  /** {@code store.thanks-sent}, with the store's message to the customer. */
  static CloudEvent thanksSent(StoreOrder order, Instant at) {
    String name = order.storeName();
    return event(
        EventType.STORE_THANKS_SENT,
        order,
        base(order)
            .put("message", name + " 이용해 주셔서 감사합니다! Thank you for ordering from " + name + "!"),
        at);
  }

  /** The store's answer to a change of items names the change and its price difference. */
  private static JsonObject verdict(StoreOrder order, JsonObject modification) {
    return base(order)
        .put("modificationId", modification.getString("modificationId"))
        .put("delta", modification.getInteger("delta"));
  }

  private static JsonObject base(StoreOrder order) {
    return new JsonObject()
        .put("orderId", order.orderId().toString())
        .put("storeId", order.storeId())
        .put("storeName", order.storeName())
        .put("storeNameKo", order.storeNameKo())
        .put("customerId", order.customerId());
  }

  private static CloudEvent event(EventType type, StoreOrder order, JsonObject data, Instant at) {
    return CloudEvent.of(SOURCE, type.wire(), order.orderId().toString(), at, data);
  }
}
