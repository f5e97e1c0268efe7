package dev.baedal.store;

import dev.baedal.contract.EventType;
import dev.baedal.platform.events.CloudEvent;
import dev.baedal.platform.events.Decision;
import dev.baedal.platform.http.ProblemException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

/**
 * An order as its store sees it: a pure state machine. Owner actions that are not allowed in the
 * current status are refused with 409; events from other contexts that come late or twice change
 * nothing. Every change bumps {@code version}, which live subscribers compare.
 */
record StoreOrder(
    UUID orderId,
    String storeId,
    String storeName,
    String storeNameKo,
    String customerId,
    JsonArray items,
    int total,
    int deliveryFee,
    boolean express,
    JsonObject deliveryAddress,
    Status status,
    String rejectReason,
    boolean thanked,
    Instant placedAt,
    Instant updatedAt,
    long version) {

  enum Status {
    NEW,
    ACCEPTED,
    REJECTED,
    COOKING,
    COOKED,
    PICKED_UP,
    DELIVERED,
    COMPLETED,
    CANCELLED
  }

  /** Before cooking starts, the customer may still cancel or change the order. */
  private static final Set<Status> BEFORE_COOKING = EnumSet.of(Status.NEW, Status.ACCEPTED);

  /** The orders a store still has work on: shown on its live page. */
  static final Set<Status> OPEN =
      EnumSet.of(Status.NEW, Status.ACCEPTED, Status.COOKING, Status.COOKED);

  static final String SOURCE = "/store";

  /** The store order an {@code order.placed} event opens, at a store of these names. */
  static StoreOrder placed(JsonObject order, String storeName, String storeNameKo) {
    Instant now = Instant.parse(order.getString("createdAt"));
    return new StoreOrder(
        UUID.fromString(order.getString("orderId")),
        order.getString("storeId"),
        storeName,
        storeNameKo,
        order.getString("customerId"),
        order.getJsonArray("items"),
        order.getInteger("total"),
        order.getInteger("deliveryFee"),
        order.getBoolean("express"),
        order.getJsonObject("deliveryAddress"),
        Status.NEW,
        null,
        false,
        now,
        now,
        1);
  }

  Decision<StoreOrder> accept() {
    require(Status.NEW, "accept");
    return Decision.of(to(Status.ACCEPTED), event(EventType.STORE_ORDER_ACCEPTED, base()));
  }

  Decision<StoreOrder> reject(String reason) {
    require(Status.NEW, "reject");
    StoreOrder next = with(Status.REJECTED, items, total, reason, thanked);
    return Decision.of(
        next,
        event(EventType.STORE_ORDER_REJECTED, base().put("reason", reason).put("total", total)));
  }

  /** Cooking starts; the event carries what a rider needs to open the delivery. */
  Decision<StoreOrder> startCooking(JsonObject storeLocation) {
    require(Status.ACCEPTED, "start cooking");
    return Decision.of(
        to(Status.COOKING),
        event(
            EventType.STORE_COOKING_STARTED,
            base()
                .put("storeLocation", storeLocation)
                .put("deliveryAddress", deliveryAddress.copy())
                .put("express", express)
                .put("deliveryFee", deliveryFee)));
  }

  Decision<StoreOrder> finishCooking() {
    require(Status.COOKING, "finish cooking");
    return Decision.of(to(Status.COOKED), event(EventType.STORE_COOKING_FINISHED, base()));
  }

  /**
   * What an event of another context means for this order: {@code order.placed} creates it (see
   * {@link #placed}); a type this context does not act on changes nothing.
   */
  Decision<StoreOrder> on(CloudEvent event) {
    return switch (EventType.of(event)) {
      case ORDER_CANCEL_REQUESTED -> onCancelRequested();
      case ORDER_MODIFICATION_REQUESTED -> onModificationRequested(event.data());
      case ORDER_COMPLETED -> onCompleted();
      case DELIVERY_PICKED_UP -> onPickedUp();
      case DELIVERY_DELIVERED -> onDelivered();
      case ORDER_PLACED,
          ORDER_MODIFIED,
          ORDER_CANCELLED,
          PAYMENT_AUTHORIZED,
          PAYMENT_ADJUSTED,
          PAYMENT_REFUNDED,
          STORE_ORDER_ACCEPTED,
          STORE_ORDER_REJECTED,
          STORE_COOKING_STARTED,
          STORE_COOKING_FINISHED,
          STORE_CANCEL_CONFIRMED,
          STORE_CANCEL_REFUSED,
          STORE_MODIFICATION_CONFIRMED,
          STORE_MODIFICATION_REFUSED,
          STORE_THANKS_SENT,
          DELIVERY_OPENED,
          DELIVERY_ASSIGNED,
          DELIVERY_WITHDRAWN,
          CATALOG_STORE_UPDATED,
          NOTIFICATION_REQUESTED,
          NOTIFICATION_SENT,
          NOTIFICATION_FAILED ->
          Decision.unchanged(this);
    };
  }

  /** The store's verdict on a cancel request: confirmed before cooking, refused after. */
  Decision<StoreOrder> onCancelRequested() {
    if (status == Status.CANCELLED) {
      return Decision.unchanged(this);
    }
    if (BEFORE_COOKING.contains(status)) {
      return Decision.of(
          to(Status.CANCELLED),
          event(EventType.STORE_CANCEL_CONFIRMED, base().put("total", total)));
    }
    return Decision.of(
        this,
        event(EventType.STORE_CANCEL_REFUSED, base().put("reason", refusalReason("cancelled"))));
  }

  /** The store's verdict on a change of items: applied before cooking, refused after. */
  Decision<StoreOrder> onModificationRequested(JsonObject modification) {
    JsonObject verdict =
        base()
            .put("modificationId", modification.getString("modificationId"))
            .put("delta", modification.getInteger("delta"));
    if (BEFORE_COOKING.contains(status)) {
      StoreOrder next =
          with(
              status,
              modification.getJsonArray("items"),
              modification.getInteger("total"),
              rejectReason,
              thanked);
      return Decision.of(
          next,
          event(
              EventType.STORE_MODIFICATION_CONFIRMED,
              verdict.put("items", next.items.copy()).put("total", next.total)));
    }
    return Decision.of(
        this,
        event(
            EventType.STORE_MODIFICATION_REFUSED, verdict.put("reason", refusalReason("changed"))));
  }

  /** The rider took the food. */
  Decision<StoreOrder> onPickedUp() {
    return status == Status.COOKED ? Decision.of(to(Status.PICKED_UP)) : Decision.unchanged(this);
  }

  Decision<StoreOrder> onDelivered() {
    return status == Status.PICKED_UP || status == Status.COOKED
        ? Decision.of(to(Status.DELIVERED))
        : Decision.unchanged(this);
  }

  /** The customer confirmed receipt: the store thanks them, once. */
  Decision<StoreOrder> onCompleted() {
    if (thanked) {
      return Decision.unchanged(this);
    }
    StoreOrder next = with(Status.COMPLETED, items, total, rejectReason, true);
    return Decision.of(
        next,
        event(
            EventType.STORE_THANKS_SENT,
            base()
                .put(
                    "message",
                    storeName + " 이용해 주셔서 감사합니다! Thank you for ordering from " + storeName + "!")));
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("orderId", orderId.toString())
        .put("storeId", storeId)
        .put("storeName", storeName)
        .put("storeNameKo", storeNameKo)
        .put("customerId", customerId)
        .put("items", items.copy())
        .put("total", total)
        .put("deliveryFee", deliveryFee)
        .put("express", express)
        .put("deliveryAddress", deliveryAddress.copy())
        .put("status", status.name())
        .put("rejectReason", rejectReason)
        .put("placedAt", placedAt.toString())
        .put("updatedAt", updatedAt.toString())
        .put("version", version);
  }

  private String refusalReason(String what) {
    return "the order can no longer be "
        + what
        + ": the store has already started cooking ("
        + status
        + ")";
  }

  private void require(Status expected, String action) {
    if (status != expected) {
      throw ProblemException.conflict(
          "cannot "
              + action
              + " order "
              + orderId
              + " in status "
              + status
              + " (needs "
              + expected
              + ")");
    }
  }

  private StoreOrder to(Status next) {
    return with(next, items, total, rejectReason, thanked);
  }

  /** A copy with what a transition may change, updated now. */
  private StoreOrder with(
      Status next, JsonArray newItems, int newTotal, String reason, boolean isThanked) {
    return new StoreOrder(
        orderId,
        storeId,
        storeName,
        storeNameKo,
        customerId,
        newItems,
        newTotal,
        deliveryFee,
        express,
        deliveryAddress,
        next,
        reason,
        isThanked,
        placedAt,
        Instant.now(),
        version + 1);
  }

  private JsonObject base() {
    return new JsonObject()
        .put("orderId", orderId.toString())
        .put("storeId", storeId)
        .put("storeName", storeName)
        .put("storeNameKo", storeNameKo)
        .put("customerId", customerId);
  }

  private CloudEvent event(EventType type, JsonObject data) {
    return CloudEvent.of(SOURCE, type.wire(), orderId.toString(), data);
  }
}
