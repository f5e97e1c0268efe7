package dev.baedal.store;

import dev.baedal.contract.Address;
import dev.baedal.contract.EventType;
import dev.baedal.contract.Item;
import dev.baedal.contract.events.OrderModificationRequested;
import dev.baedal.contract.events.OrderPlaced;
import dev.baedal.contract.events.Point;
import dev.baedal.platform.events.CloudEvent;
import dev.baedal.platform.events.Decision;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * An order as its store sees it: a pure state machine, told the time of each decision. Owner
 * actions that are not allowed in the current status are refused ({@link StoreOrderConflict});
 * events from other contexts that come late or twice change nothing. Every change bumps {@code
 * version}, which live subscribers compare; a transaction commits one version more than the one it
 * read ({@link #committedAfter}).
 */
record StoreOrder(
    UUID orderId,
    String storeId,
    String storeName,
    String storeNameKo,
    String customerId,
    List<Item> items,
    int total,
    int deliveryFee,
    boolean express,
    Address deliveryAddress,
    Status status,
    String rejectReason,
    boolean thanked,
    Instant placedAt,
    Instant updatedAt,
    long version) {

  StoreOrder {
    items = List.copyOf(items);
  }

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

  /** The store order an {@code order.placed} event opens, at a store of these names. */
  static StoreOrder placed(OrderPlaced order, String storeName, String storeNameKo) {
    Instant now = order.createdAt();
    return new StoreOrder(
        order.order().orderId(),
        order.order().storeId(),
        storeName,
        storeNameKo,
        order.order().customerId(),
        order.items(),
        order.total(),
        order.deliveryFee(),
        order.express(),
        order.deliveryAddress(),
        Status.NEW,
        null,
        false,
        now,
        now,
        1);
  }

  Decision<StoreOrder> accept(Instant now) {
    require(Status.NEW, "accept");
    return Decision.of(to(Status.ACCEPTED, now), StoreEvents.accepted(this, now));
  }

  Decision<StoreOrder> reject(String reason, Instant now) {
    require(Status.NEW, "reject");
    StoreOrder next = with(Status.REJECTED, items, total, reason, thanked, now);
    return Decision.of(next, StoreEvents.rejected(this, reason, now));
  }

  /** Cooking starts; the event carries what a rider needs to open the delivery. */
  Decision<StoreOrder> startCooking(Point storeLocation, Instant now) {
    require(Status.ACCEPTED, "start cooking");
    return Decision.of(
        to(Status.COOKING, now), StoreEvents.cookingStarted(this, storeLocation, now));
  }

  Decision<StoreOrder> finishCooking(Instant now) {
    require(Status.COOKING, "finish cooking");
    return Decision.of(to(Status.COOKED, now), StoreEvents.cookingFinished(this, now));
  }

  /**
   * What an event of another context means for this order: {@code order.placed} creates it (see
   * {@link #placed}); a type this context does not act on changes nothing. {@code now} is when this
   * context decides.
   */
  Decision<StoreOrder> on(CloudEvent event, Instant now) {
    return switch (EventType.of(event)) {
      case ORDER_CANCEL_REQUESTED -> onCancelRequested(now);
      case ORDER_MODIFICATION_REQUESTED ->
          onModificationRequested(OrderModificationRequested.of(event.data()), now);
      case ORDER_COMPLETED -> onCompleted(now);
      case DELIVERY_PICKED_UP -> onPickedUp(now);
      case DELIVERY_DELIVERED -> onDelivered(now);
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
  Decision<StoreOrder> onCancelRequested(Instant now) {
    if (status == Status.CANCELLED) {
      return Decision.unchanged(this);
    }
    if (BEFORE_COOKING.contains(status)) {
      return Decision.of(to(Status.CANCELLED, now), StoreEvents.cancelConfirmed(this, now));
    }
    return Decision.of(this, StoreEvents.cancelRefused(this, refusalReason("cancelled"), now));
  }

  /** The store's verdict on a change of items: applied before cooking, refused after. */
  Decision<StoreOrder> onModificationRequested(
      OrderModificationRequested modification, Instant now) {
    if (BEFORE_COOKING.contains(status)) {
      StoreOrder next =
          with(status, modification.items(), modification.total(), rejectReason, thanked, now);
      return Decision.of(next, StoreEvents.modificationConfirmed(next, modification, now));
    }
    return Decision.of(
        this, StoreEvents.modificationRefused(this, modification, refusalReason("changed"), now));
  }

  /** The rider took the food. */
  Decision<StoreOrder> onPickedUp(Instant now) {
    return status == Status.COOKED
        ? Decision.of(to(Status.PICKED_UP, now))
        : Decision.unchanged(this);
  }

  Decision<StoreOrder> onDelivered(Instant now) {
    return status == Status.PICKED_UP || status == Status.COOKED
        ? Decision.of(to(Status.DELIVERED, now))
        : Decision.unchanged(this);
  }

  /** The customer confirmed receipt: the store thanks them, once. */
  Decision<StoreOrder> onCompleted(Instant now) {
    if (thanked) {
      return Decision.unchanged(this);
    }
    StoreOrder next = with(Status.COMPLETED, items, total, rejectReason, true, now);
    return Decision.of(next, StoreEvents.thanksSent(next, now));
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("orderId", orderId.toString())
        .put("storeId", storeId)
        .put("storeName", storeName)
        .put("storeNameKo", storeNameKo)
        .put("customerId", customerId)
        .put("items", Item.json(items))
        .put("total", total)
        .put("deliveryFee", deliveryFee)
        .put("express", express)
        .put("deliveryAddress", deliveryAddress.toJson())
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
      throw new StoreOrderConflict(
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

  /**
   * This state as the one a transaction commits over {@code read}: one version more than that,
   * however many events of the transaction led here, so a live subscriber gets each committed
   * version and can tell a missed one by its gap.
   */
  StoreOrder committedAfter(StoreOrder read) {
    return version == read.version + 1
        ? this
        : copy(status, items, total, rejectReason, thanked, updatedAt, read.version + 1);
  }

  private StoreOrder to(Status next, Instant now) {
    return with(next, items, total, rejectReason, thanked, now);
  }

  /** A copy with what a transition may change, updated {@code now}. */
  private StoreOrder with(
      Status next,
      List<Item> newItems,
      int newTotal,
      String reason,
      boolean isThanked,
      Instant now) {
    return copy(next, newItems, newTotal, reason, isThanked, now, version + 1);
  }

  private StoreOrder copy(
      Status next,
      List<Item> newItems,
      int newTotal,
      String reason,
      boolean isThanked,
      Instant now,
      long newVersion) {
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
        now,
        newVersion);
  }
}
