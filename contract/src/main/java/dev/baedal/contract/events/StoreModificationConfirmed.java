package dev.baedal.contract.events;

import dev.baedal.contract.EventType;
import dev.baedal.contract.Item;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** {@code store.modification-confirmed}: the store will cook the changed items. */
public record StoreModificationConfirmed(
    OrderRef order, String modificationId, int delta, List<Item> items, int total)
    implements Payload {
  public StoreModificationConfirmed {
    items = List.copyOf(items);
  }

  public static StoreModificationConfirmed of(JsonObject d) {
    return new StoreModificationConfirmed(
        OrderRef.of(d),
        d.getString("modificationId"),
        Fields.integer(d, "delta"),
        Item.list(Fields.array(d, "items")),
        Fields.integer(d, "total"));
  }

  @Override
  public EventType type() {
    return EventType.STORE_MODIFICATION_CONFIRMED;
  }

  @Override
  public JsonObject toJson() {
    return order
        .toJson()
        .put("modificationId", modificationId)
        .put("delta", delta)
        .put("items", Item.json(items))
        .put("total", total);
  }
}
