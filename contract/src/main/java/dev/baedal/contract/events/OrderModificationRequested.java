package dev.baedal.contract.events;

import dev.baedal.contract.EventType;
import dev.baedal.contract.Item;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * {@code order.modification-requested}: the customer asked to change the items; the store decides
 * (before cooking it confirms, after it refuses).
 *
 * @param delta the new total minus the previous one, in won (negative: money back once confirmed)
 */
public record OrderModificationRequested(
    OrderRef order,
    int previousTotal,
    String modificationId,
    List<Item> items,
    int subtotal,
    int total,
    int delta,
    Instant requestedAt)
    implements Payload {
  public OrderModificationRequested {
    items = List.copyOf(items);
  }

  public static OrderModificationRequested of(JsonObject d) {
    return new OrderModificationRequested(
        OrderRef.of(d),
        Fields.integer(d, "previousTotal"),
        d.getString("modificationId"),
        Item.list(Fields.array(d, "items")),
        Fields.integer(d, "subtotal"),
        Fields.integer(d, "total"),
        Fields.integer(d, "delta"),
        Fields.instant(d, "requestedAt"));
  }

  @Override
  public EventType type() {
    return EventType.ORDER_MODIFICATION_REQUESTED;
  }

  @Override
  public JsonObject toJson() {
    return order
        .toJson()
        .put("previousTotal", previousTotal)
        .put("modificationId", modificationId)
        .put("items", Item.json(items))
        .put("subtotal", subtotal)
        .put("total", total)
        .put("delta", delta)
        .put("requestedAt", requestedAt.toString());
  }
}
