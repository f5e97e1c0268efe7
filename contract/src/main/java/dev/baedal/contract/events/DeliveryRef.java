package dev.baedal.contract.events;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * What every delivery event says first: the order, its store and its customer. On the wire its
 * fields are the event's own ({@code orderId, storeId, customerId}).
 */
public record DeliveryRef(UUID orderId, String storeId, String customerId) {

  public static DeliveryRef of(JsonObject d) {
    return new DeliveryRef(
        Fields.uuid(d, "orderId"), d.getString("storeId"), d.getString("customerId"));
  }

  /** A new event's data, starting with these fields. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("orderId", orderId.toString())
        .put("storeId", storeId)
        .put("customerId", customerId);
  }
}
