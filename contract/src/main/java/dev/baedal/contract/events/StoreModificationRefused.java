package dev.baedal.contract.events;

import dev.baedal.contract.EventType;
import io.vertx.core.json.JsonObject;

/**
 * {@code store.modification-refused}: too late to change the items; a higher total already charged
 * is refunded.
 */
public record StoreModificationRefused(
    OrderRef order, String modificationId, int delta, String reason) implements Payload {
  public static StoreModificationRefused of(JsonObject d) {
    return new StoreModificationRefused(
        OrderRef.of(d),
        d.getString("modificationId"),
        Fields.integer(d, "delta"),
        d.getString("reason"));
  }

  @Override
  public EventType type() {
    return EventType.STORE_MODIFICATION_REFUSED;
  }

  @Override
  public JsonObject toJson() {
    return order
        .toJson()
        .put("modificationId", modificationId)
        .put("delta", delta)
        .put("reason", reason);
  }
}
