package dev.baedal.order;

import dev.baedal.contract.Item;
import io.vertx.core.json.JsonObject;

/** The JSON an {@link Order} is shown and announced as. */
final class OrderJson {
  private OrderJson() {}

  /** The {@code 201} body of {@code POST /api/orders}. */
  static JsonObject receipt(Order order) {
    return new JsonObject()
        .put("orderId", order.orderId().toString())
        .put("status", order.status().name())
        .put("total", order.total().value())
        .put("deliveryFee", order.deliveryFee().value())
        .put("express", order.express())
        .put("createdAt", order.createdAt().toString());
  }

  /** The write side's view of the order. */
  static JsonObject of(Order order) {
    Modification pending = order.pendingModification();
    return new JsonObject()
        .put("orderId", order.orderId().toString())
        .put("customerId", order.customerId())
        .put("storeId", order.storeId())
        .put("storeName", order.storeName())
        .put("storeNameKo", order.storeNameKo())
        .put("items", Item.json(order.items()))
        .put("subtotal", order.subtotal().value())
        .put("deliveryFee", order.deliveryFee().value())
        .put("total", order.total().value())
        .put("express", order.express())
        .put("deliveryAddress", order.deliveryAddress().toJson())
        .put("status", order.status().name())
        .put("riderId", order.state().riderId())
        .put("rejectReason", order.state().rejectReason())
        .put("cancelRefusedReason", order.state().cancelRefusedReason())
        .put("modificationRefusedReason", order.state().modificationRefusedReason())
        .put("pendingModification", pending == null ? null : pending.toJson())
        .put("timeline", order.timeline())
        .put("paymentId", order.paymentId().toString())
        .put("createdAt", order.createdAt().toString())
        .put("updatedAt", order.updatedAt().toString());
  }
}
