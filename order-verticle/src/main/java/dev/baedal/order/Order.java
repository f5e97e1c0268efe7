package dev.baedal.order;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The order aggregate: plain data and pure decisions, no I/O.
 *
 * @param items the priced lines, as {@code [{menuId, name, quantity, price}]}
 */
record Order(
    UUID orderId,
    String customerId,
    String storeId,
    String storeName,
    JsonArray items,
    int subtotal,
    int deliveryFee,
    int total,
    boolean express,
    JsonObject deliveryAddress,
    OrderStatus status,
    UUID paymentId,
    Instant createdAt,
    Instant updatedAt) {

  /** A catalogue line the order is priced from. */
  record PricedLine(String menuId, String name, int quantity, int price) {
    int amount() {
      return quantity * price;
    }
  }

  /** The delivery fees in force. */
  record Fees(int delivery, int express) {
    int of(boolean isExpress) {
      return delivery + (isExpress ? express : 0);
    }
  }

  /** The price of an order before it exists: what the payment must authorize. */
  record Quote(String storeName, List<PricedLine> lines, int subtotal, int deliveryFee) {
    static Quote of(String storeName, List<PricedLine> lines, boolean express, Fees fees) {
      int subtotal = lines.stream().mapToInt(PricedLine::amount).sum();
      return new Quote(storeName, List.copyOf(lines), subtotal, fees.of(express));
    }

    int total() {
      return subtotal + deliveryFee;
    }

    JsonArray itemsJson() {
      JsonArray items = new JsonArray();
      for (PricedLine l : lines) {
        items.add(
            new JsonObject()
                .put("menuId", l.menuId())
                .put("name", l.name())
                .put("quantity", l.quantity())
                .put("price", l.price()));
      }
      return items;
    }
  }

  /** A paid order: the only way an order comes into being. */
  static Order placed(
      UUID orderId,
      String customerId,
      String storeId,
      Quote quote,
      boolean express,
      JsonObject deliveryAddress,
      UUID paymentId,
      Instant now) {
    return new Order(
        orderId,
        customerId,
        storeId,
        quote.storeName(),
        quote.itemsJson(),
        quote.subtotal(),
        quote.deliveryFee(),
        quote.total(),
        express,
        deliveryAddress,
        OrderStatus.PAID,
        paymentId,
        now,
        now);
  }

  /** The {@code 201} body of {@code POST /api/orders}. */
  JsonObject receipt() {
    return new JsonObject()
        .put("orderId", orderId.toString())
        .put("status", status.name())
        .put("total", total)
        .put("deliveryFee", deliveryFee)
        .put("express", express)
        .put("createdAt", createdAt.toString());
  }

  /** The write side's view of the order. */
  JsonObject toJson() {
    return new JsonObject()
        .put("orderId", orderId.toString())
        .put("customerId", customerId)
        .put("storeId", storeId)
        .put("storeName", storeName)
        .put("items", items.copy())
        .put("subtotal", subtotal)
        .put("deliveryFee", deliveryFee)
        .put("total", total)
        .put("express", express)
        .put("deliveryAddress", deliveryAddress.copy())
        .put("status", status.name())
        .put("paymentId", paymentId.toString())
        .put("createdAt", createdAt.toString())
        .put("updatedAt", updatedAt.toString());
  }
}
