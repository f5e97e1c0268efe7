package dev.baedal.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Who plays one store's parts: the customer ordering there, the store's owner and the rider nearby,
 * with their tokens, and the order the customer places.
 */
record Cast(
    String customer,
    String customerToken,
    String owner,
    String ownerToken,
    String rider,
    String riderToken,
    JsonObject riderLocation,
    JsonObject order) {

  /** Hanok Chicken (store-1, Gangnam): kim orders, rider-1 rides. */
  static Cast hanokChicken(String kim, String owner, String rider) {
    return new Cast(
        "kim",
        kim,
        "store-1",
        owner,
        "rider-1",
        rider,
        new JsonObject().put("lat", 37.4985).put("lng", 127.0280),
        order("store-1", "chicken-fried", "cola", 37.5006, 127.0364));
  }

  /** Seoul Bibimbap (store-2, Jongno): lee orders, rider-2 rides. */
  static Cast seoulBibimbap(String lee, String owner, String rider) {
    return new Cast(
        "lee",
        lee,
        "store-2",
        owner,
        "rider-2",
        rider,
        new JsonObject().put("lat", 37.5745).put("lng", 126.9855),
        order("store-2", "bibimbap-dolsot", "sikhye", 37.5700, 126.9920));
  }

  private static JsonObject order(
      String storeId, String dish, String drink, double lat, double lng) {
    return new JsonObject()
        .put("storeId", storeId)
        .put(
            "items",
            new JsonArray()
                .add(new JsonObject().put("menuId", dish).put("quantity", 1))
                .add(new JsonObject().put("menuId", drink).put("quantity", 1)))
        .put(
            "deliveryAddress",
            new JsonObject().put("text", "서울 배달 벤치 1").put("lat", lat).put("lng", lng))
        .put("express", false)
        .put(
            "payment",
            new JsonObject().put("method", "CARD").put("cardNumber", "4242424242424242"));
  }
}
