package dev.baedal.order;

import dev.baedal.contract.Address;
import dev.baedal.contract.EventType;
import dev.baedal.contract.Item;
import dev.baedal.contract.OrderStatus;
import dev.baedal.contract.StatusFacts;
import dev.baedal.contract.Won;
import dev.baedal.contract.events.StoreModificationConfirmed;
import dev.baedal.contract.events.StoreModificationRefused;
import dev.baedal.platform.events.CloudEvent;
import dev.baedal.platform.events.Decision;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The order aggregate: plain data and pure decisions, no I/O.
 *
 * <p>What other contexts report (accepted, cooking, rider assigned, ...) is kept as facts with the
 * time they happened, and the status customers see is derived from them. Events from different
 * topics may arrive in any order and twice; the derived status never goes backwards.
 *
 * @param storeNameKo the store's Korean name (null for orders placed before the replica had it)
 * @param items the priced lines (an unmodifiable list, as {@link Quote} and {@link Item} make)
 * @param state what happened since it was placed
 */
record Order(
    UUID orderId,
    String customerId,
    String storeId,
    String storeName,
    String storeNameKo,
    List<Item> items,
    Won subtotal,
    Won deliveryFee,
    Won total,
    boolean express,
    Address deliveryAddress,
    UUID paymentId,
    Instant createdAt,
    Instant updatedAt,
    Progress state) {

  private static final Set<OrderStatus> BEFORE_COOKING =
      EnumSet.of(OrderStatus.PAID, OrderStatus.ACCEPTED);

  /** A paid order: the only way an order comes into being. */
  static Order placed(
      UUID orderId,
      String customerId,
      String storeId,
      Quote quote,
      boolean express,
      Address deliveryAddress,
      UUID paymentId,
      Instant now) {
    return new Order(
        orderId,
        customerId,
        storeId,
        quote.storeName(),
        quote.storeNameKo(),
        quote.lines(),
        quote.subtotal(),
        quote.deliveryFee(),
        quote.total(),
        express,
        deliveryAddress,
        paymentId,
        now,
        now,
        Progress.none());
  }

  /** The status customers see, derived from the facts (contract section 4). */
  OrderStatus status() {
    return facts().status();
  }

  private StatusFacts facts() {
    return new StatusFacts(createdAt, state.facts());
  }

  /** A change of items the store has not decided on yet, or null. */
  Modification pendingModification() {
    return state.pendingModification();
  }

  // ---- customer commands ----

  /** The customer asks to cancel: allowed while cooking has not started. */
  Decision<Order> requestCancel(Instant now) {
    OrderStatus status = status();
    requireBeforeCooking(
        "cancelled", "a change of this order is still being decided; try again shortly");
    Order next = withFact(OrderStatus.CANCEL_REQUESTED.name(), now);
    return Decision.of(next, OrderEvents.cancelRequested(this, status.name(), now));
  }

  /**
   * A saga the store has not answered within its deadline (a cancel, a change of items) is asked
   * again: the same request as a new event, which the store answers idempotently. Empty when
   * nothing waits for the store.
   */
  Decision<Order> reask(Instant now) {
    if (facts().cancelPending()) {
      String previous =
          facts().has(OrderStatus.ACCEPTED) ? OrderStatus.ACCEPTED.name() : OrderStatus.PAID.name();
      return Decision.of(with(state, now), OrderEvents.cancelRequested(this, previous, now));
    }
    if (pendingModification() != null) {
      return Decision.of(
          with(state, now), OrderEvents.modificationRequested(this, pendingModification(), now));
    }
    return Decision.unchanged(this);
  }

  /** The customer confirms receipt of a delivered order. */
  Decision<Order> confirm(Instant now) {
    OrderStatus status = status();
    if (status != OrderStatus.DELIVERED) {
      String refusal = "only a DELIVERED order can be confirmed; this one is " + status;
      boolean underWay =
          status != OrderStatus.COMPLETED
              && status != OrderStatus.CANCELLED
              && status != OrderStatus.REJECTED;
      // under way, the delivery may be done already and this context not have heard of it yet
      throw underWay ? OrderConflict.underWay(refusal) : OrderConflict.of(refusal);
    }
    Order next = withFact(OrderStatus.COMPLETED.name(), now);
    return Decision.of(next, OrderEvents.completed(this, now));
  }

  /** Checks that the items may still change, before anything is charged. */
  void checkModifiable() {
    requireBeforeCooking("changed", "an earlier change of this order is still being decided");
  }

  /** Cooking has not started, and no change of items waits for the store. */
  private void requireBeforeCooking(String what, String stillDeciding) {
    OrderStatus status = status();
    if (!BEFORE_COOKING.contains(status)) {
      throw OrderConflict.of("an order that is " + status + " can no longer be " + what);
    }
    if (pendingModification() != null) {
      throw OrderConflict.of(stillDeciding);
    }
  }

  /** The customer changes the items; the store decides (it knows whether cooking started). */
  Decision<Order> requestModification(UUID modificationId, Quote quote, Instant now) {
    checkModifiable();
    Modification modification =
        new Modification(
            modificationId.toString(),
            quote.lines(),
            quote.subtotal(),
            quote.total(),
            quote.over(total),
            now);
    Order next = with(state.withPendingModification(modification), now);
    return Decision.of(next, OrderEvents.modificationRequested(this, modification, now));
  }

  // ---- what other contexts report ----

  /**
   * Applies an event of the store or rider context: records the fact it stands for (the mapping of
   * contract section 4, in {@link StatusFacts}) once, with what the event carries beside it.
   */
  Decision<Order> on(CloudEvent event) {
    Instant at = event.time();
    JsonObject data = event.data();
    EventType type = EventType.of(event);
    if (type == EventType.STORE_MODIFICATION_CONFIRMED) {
      return modified(StoreModificationConfirmed.of(data), at);
    }
    if (type == EventType.STORE_MODIFICATION_REFUSED) {
      return modificationRefused(StoreModificationRefused.of(data), at);
    }
    String fact = StatusFacts.factOf(type);
    if (fact == null || state.has(fact)) {
      return Decision.unchanged(this);
    }
    Order next = with(state.withFact(fact, at).withReport(type, data), at);
    return switch (type) {
      case STORE_CANCEL_CONFIRMED -> Decision.of(next, OrderEvents.cancelled(this, at));
      case ORDER_PLACED,
          ORDER_MODIFICATION_REQUESTED,
          ORDER_MODIFIED,
          ORDER_CANCEL_REQUESTED,
          ORDER_CANCELLED,
          ORDER_COMPLETED,
          PAYMENT_AUTHORIZED,
          PAYMENT_ADJUSTED,
          PAYMENT_REFUNDED,
          STORE_ORDER_ACCEPTED,
          STORE_COOKING_STARTED,
          STORE_COOKING_FINISHED,
          STORE_MODIFICATION_CONFIRMED,
          STORE_MODIFICATION_REFUSED,
          STORE_THANKS_SENT,
          STORE_ORDER_REJECTED,
          STORE_CANCEL_REFUSED,
          DELIVERY_ASSIGNED,
          DELIVERY_OPENED,
          DELIVERY_PICKED_UP,
          DELIVERY_DELIVERED,
          DELIVERY_WITHDRAWN,
          CATALOG_STORE_UPDATED,
          NOTIFICATION_REQUESTED,
          NOTIFICATION_SENT,
          NOTIFICATION_FAILED ->
          silently(next);
    };
  }

  private Decision<Order> modified(StoreModificationConfirmed verdict, Instant at) {
    if (!state.awaits(verdict.modificationId())) {
      return Decision.unchanged(this);
    }
    Modification m = pendingModification();
    Order next = withModificationApplied(at);
    return Decision.of(next, OrderEvents.modified(this, next, m, at));
  }

  private Decision<Order> modificationRefused(StoreModificationRefused verdict, Instant at) {
    if (!state.awaits(verdict.modificationId())) {
      return Decision.unchanged(this);
    }
    return silently(with(state.withModificationRefused(verdict.reason()), at));
  }

  /** The statuses the order has been in, in time order, starting with PAID. */
  JsonArray timeline() {
    return facts().timeline();
  }

  /**
   * A decision that records a new state but announces nothing: what other contexts reported is
   * kept, and their own events already told everyone.
   */
  private static Decision<Order> silently(Order next) {
    return new Decision<>(next, List.of());
  }

  // ---- the next states ----

  private Order withFact(String fact, Instant at) {
    return with(state.withFact(fact, at), at);
  }

  /** The same order in {@code next} state; {@code updatedAt} never goes back. */
  private Order with(Progress next, Instant at) {
    Instant updated = at.isAfter(updatedAt) ? at : updatedAt;
    return new Order(
        orderId,
        customerId,
        storeId,
        storeName,
        storeNameKo,
        items,
        subtotal,
        deliveryFee,
        total,
        express,
        deliveryAddress,
        paymentId,
        createdAt,
        updated,
        next);
  }

  /** The pending change of items, now the order's items; updated at {@code at} as it stands. */
  private Order withModificationApplied(Instant at) {
    Modification m = pendingModification();
    return new Order(
        orderId,
        customerId,
        storeId,
        storeName,
        storeNameKo,
        m.items(),
        m.subtotal(),
        deliveryFee,
        m.total(),
        express,
        deliveryAddress,
        paymentId,
        createdAt,
        at,
        state.withModificationMade());
  }
}
