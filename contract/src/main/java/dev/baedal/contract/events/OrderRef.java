package dev.baedal.contract.events;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * What every order and store event says first: whose order, at which store. On the wire its fields
 * are the event's own ({@code orderId, customerId, storeId, storeName, storeNameKo}).
 *
 * @param storeNameKo the store's Korean name, or null
 */
public record OrderRef(
    UUID orderId, String customerId, String storeId, String storeName, String storeNameKo) {

  public static OrderRef of(JsonObject d) {
    return new OrderRef(
        Fields.uuid(d, "orderId"),
        d.getString("customerId"),
        d.getString("storeId"),
        d.getString("storeName"),
        d.getString("storeNameKo"));
  }

  /** A new event's data, starting with these fields. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("orderId", orderId.toString())
        .put("customerId", customerId)
        .put("storeId", storeId)
        .put("storeName", storeName)
        .put("storeNameKo", storeNameKo);
  }
}
