package dev.baedal.contract.events;

import dev.baedal.contract.EventType;
import dev.baedal.contract.Item;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** {@code order.modified}: the store confirmed the change of items; the order has them now. */
public record OrderModified(
    OrderRef order,
    String modificationId,
    List<Item> items,
    int subtotal,
    int total,
    int previousTotal,
    int delta)
    implements Payload {
  public OrderModified {
    items = List.copyOf(items);
  }

  public static OrderModified of(JsonObject d) {
    return new OrderModified(
        OrderRef.of(d),
        d.getString("modificationId"),
        Item.list(Fields.array(d, "items")),
        Fields.integer(d, "subtotal"),
        Fields.integer(d, "total"),
        Fields.integer(d, "previousTotal"),
        Fields.integer(d, "delta"));
  }

  @Override
  public EventType type() {
    return EventType.ORDER_MODIFIED;
  }

  @Override
  public JsonObject toJson() {
    return order
        .toJson()
        .put("modificationId", modificationId)
        .put("items", Item.json(items))
        .put("subtotal", subtotal)
        .put("total", total)
        .put("previousTotal", previousTotal)
        .put("delta", delta);
  }
}
