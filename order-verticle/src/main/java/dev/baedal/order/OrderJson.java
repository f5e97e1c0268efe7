package dev.baedal.order;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The JSON an {@link Order} is shown and announced as. */
final class OrderJson {
  private OrderJson() {}

  /** The priced lines as {@code [{menuId, name, nameKo, quantity, price}]}. */
  static JsonArray items(List<Quote.PricedLine> lines) {
    JsonArray items = new JsonArray();
    for (Quote.PricedLine l : lines) {
      JsonObject item = new JsonObject().put("menuId", l.menuId()).put("name", l.name());
      if (l.nameKo() != null) {
        item.put("nameKo", l.nameKo());
      }
      items.add(item.put("quantity", l.quantity()).put("price", l.price()));
    }
    return items;
  }

  /** The {@code 201} body of {@code POST /api/orders}. */
  static JsonObject receipt(Order order) {
    return new JsonObject()
        .put("orderId", order.orderId().toString())
        .put("status", order.status().name())
        .put("total", order.total())
        .put("deliveryFee", order.deliveryFee())
        .put("express", order.express())
        .put("createdAt", order.createdAt().toString());
  }

  /** The write side's view of the order. */
  static JsonObject of(Order order) {
    JsonObject pending = order.pendingModification();
    return new JsonObject()
        .put("orderId", order.orderId().toString())
        .put("customerId", order.customerId())
        .put("storeId", order.storeId())
        .put("storeName", order.storeName())
        .put("storeNameKo", order.storeNameKo())
        .put("items", order.items().copy())
        .put("subtotal", order.subtotal())
        .put("deliveryFee", order.deliveryFee())
        .put("total", order.total())
        .put("express", order.express())
        .put("deliveryAddress", order.deliveryAddress().toJson())
        .put("status", order.status().name())
        .put("riderId", order.state().riderId())
        .put("rejectReason", order.state().rejectReason())
        .put("cancelRefusedReason", order.state().cancelRefusedReason())
        .put("modificationRefusedReason", order.state().modificationRefusedReason())
        .put("pendingModification", pending == null ? null : pending.copy())
        .put("timeline", order.timeline())
        .put("paymentId", order.paymentId().toString())
        .put("createdAt", order.createdAt().toString())
        .put("updatedAt", order.updatedAt().toString());
  }

  /** What every event of the order carries. */
  static JsonObject eventBase(Order order) {
    return new JsonObject()
        .put("orderId", order.orderId().toString())
        .put("customerId", order.customerId())
        .put("storeId", order.storeId())
        .put("storeName", order.storeName())
        .put("storeNameKo", order.storeNameKo());
  }
}
