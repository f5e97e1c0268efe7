package dev.baedal.contract.events;

import dev.baedal.contract.Address;
import dev.baedal.contract.EventType;
import dev.baedal.contract.Item;
import dev.baedal.contract.OrderStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * {@code order.placed}: a paid order came into being. On the wire it is the order as the order
 * context shows it at that moment: these fields, and {@code status} {@code PAID}, its one-step
 * {@code timeline}, {@code updatedAt} equal to {@code createdAt}, and null for what it has not got
 * yet (a rider, the reasons of a refusal, a pending change of items).
 *
 * @param subtotal the items' amounts, in won
 * @param total {@code subtotal} and {@code deliveryFee}, in won
 */
public record OrderPlaced(
    OrderRef order,
    List<Item> items,
    int subtotal,
    int deliveryFee,
    int total,
    boolean express,
    Address deliveryAddress,
    UUID paymentId,
    Instant createdAt)
    implements Payload {

  public OrderPlaced {
    items = List.copyOf(items);
  }

  public static OrderPlaced of(JsonObject d) {
    return new OrderPlaced(
        OrderRef.of(d),
        Item.list(Fields.array(d, "items")),
        Fields.integer(d, "subtotal"),
        Fields.integer(d, "deliveryFee"),
        Fields.integer(d, "total"),
        Fields.bool(d, "express"),
        Address.of(Fields.object(d, "deliveryAddress")),
        Fields.uuid(d, "paymentId"),
        Fields.instant(d, "createdAt"));
  }

  @Override
  public EventType type() {
    return EventType.ORDER_PLACED;
  }

  @Override
  public JsonObject toJson() {
    String paid = OrderStatus.PAID.name();
    return order
        .toJson()
        .put("items", Item.json(items))
        .put("subtotal", subtotal)
        .put("deliveryFee", deliveryFee)
        .put("total", total)
        .put("express", express)
        .put("deliveryAddress", deliveryAddress.toJson())
        .put("status", paid)
        .put("riderId", null)
        .put("rejectReason", null)
        .put("cancelRefusedReason", null)
        .put("modificationRefusedReason", null)
        .put("pendingModification", null)
        .put(
            "timeline",
            new JsonArray()
                .add(new JsonObject().put("status", paid).put("at", createdAt.toString())))
        .put("paymentId", paymentId.toString())
        .put("createdAt", createdAt.toString())
        .put("updatedAt", createdAt.toString());
  }
}
