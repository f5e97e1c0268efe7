package dev.baedal.contract;

import dev.baedal.contract.events.DeliveryAssigned;
import dev.baedal.contract.events.NotificationReceipt;
import dev.baedal.contract.events.NotificationRequested;
import dev.baedal.contract.events.OrderModified;
import dev.baedal.contract.events.OrderPlaced;
import dev.baedal.contract.events.OrderRef;
import dev.baedal.contract.events.PaymentAdjusted;
import dev.baedal.contract.events.PaymentAuthorized;
import dev.baedal.contract.events.PaymentRefunded;
import dev.baedal.contract.events.StoreCancelRefused;
import dev.baedal.contract.events.StoreOrderRejected;
import dev.baedal.platform.events.CloudEvent;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The state an order view (contract section 5) is derived from, projected from events alone: see
 * {@link OrderView#view}.
 *
 * <p>The state is JSON, so it can be stored and sent as it is. Applying an event is idempotent and
 * order-insensitive across topics: facts keep their first time, refunds, extra charges and
 * notifications are keyed by their ids. So the query side can replay the topics, and a live
 * subscriber can apply the events it sees to a snapshot without ever double counting.
 *
 * <p>One thing is ordered: a step that a context takes only after a step it learned of from another
 * topic ({@link #FOLLOWS}) is held back until that step is known ({@link #applyInTurn}). The topics
 * are not ordered with each other, so a rider's claim can reach the query side before the start of
 * cooking that opened the delivery; shown at once, the customer's status would jump from {@code
 * ACCEPTED} to {@code RIDER_ASSIGNED}, and {@code COOKING} would never be shown.
 */
public final class OrderProjection {
  private OrderProjection() {}

  /** State key: modification id to the time its change of items was applied. */
  static final String ITEMS_CHANGED_AT = "itemsChangedAt";

  /** State key: events held back ({@link #FOLLOWS}), event id to the event's JSON. */
  static final String HELD = "held";

  /**
   * The steps taken only after a step of another context, and that step: a rider is assigned to a
   * delivery, which opens when cooking starts; picks up food the store said is cooked; a customer
   * confirms an order the rider delivered. And a delivery is delivered once picked up: the same
   * topic, but its pickup may be held back.
   */
  private static final Map<EventType, OrderStatus> FOLLOWS =
      Map.of(
          EventType.DELIVERY_ASSIGNED, OrderStatus.COOKING,
          EventType.DELIVERY_PICKED_UP, OrderStatus.COOKED,
          EventType.DELIVERY_DELIVERED, OrderStatus.PICKED_UP,
          EventType.ORDER_COMPLETED, OrderStatus.DELIVERED);

  /** A state a reader can see, and the time of the event that made it. */
  public record Step(JsonObject state, Instant at) {}

  /**
   * What applying one event did.
   *
   * @param state the state to keep: the same object if the event changed nothing
   * @param steps the states a reader goes through, in order: none for an event held back, one more
   *     for each held event it lets through
   */
  public record Applied(JsonObject state, List<Step> steps) {}

  /** The empty state of an order nothing is known about yet. */
  public static JsonObject empty(String orderId) {
    return new JsonObject()
        .put("orderId", orderId)
        .put("facts", new JsonObject())
        .put("refunds", new JsonObject())
        .put("adjustments", new JsonObject())
        .put("notifications", new JsonObject());
  }

  /** Every event type that can change an order view. */
  public static final Set<EventType> TYPES = types();

  /** {@link #TYPES}, by wire name: what the query side's consumer handles. */
  public static final Set<String> EVENT_TYPES = EventType.wires(TYPES);

  private static Set<EventType> types() {
    Set<EventType> types = EnumSet.copyOf(StatusFacts.eventTypes());
    types.addAll(
        List.of(
            EventType.ORDER_PLACED,
            EventType.ORDER_MODIFIED,
            EventType.PAYMENT_AUTHORIZED,
            EventType.PAYMENT_ADJUSTED,
            EventType.PAYMENT_REFUNDED,
            EventType.NOTIFICATION_REQUESTED,
            EventType.NOTIFICATION_SENT,
            EventType.NOTIFICATION_FAILED));
    return Collections.unmodifiableSet(types);
  }

  /** Whether {@code event} can change an order view at all. */
  public static boolean concerns(CloudEvent event) {
    return EVENT_TYPES.contains(event.type());
  }

  /**
   * The state after {@code event} and the held events it lets through (see {@link #applyInTurn}).
   */
  public static JsonObject apply(JsonObject state, CloudEvent event) {
    return applyInTurn(state, event).state();
  }

  /**
   * Applies {@code event}, or holds it back while the step it follows from is not known ({@link
   * #FOLLOWS}); once an event makes that step known, the held events it lets through are applied
   * after it, each a step of its own. Whatever order the events come in, the state they end in is
   * the same.
   */
  public static Applied applyInTurn(JsonObject state, CloudEvent event) {
    Optional<EventType> type = EventType.find(event.type());
    if (type.isPresent() && waits(state, type.get())) {
      JsonObject held = state.getJsonObject(HELD);
      if (held != null && held.containsKey(event.id())) {
        return new Applied(state, List.of());
      }
      // the copy is deep: its held events are its own
      JsonObject next = state.copy();
      JsonObject nextHeld = next.getJsonObject(HELD);
      if (nextHeld == null) {
        nextHeld = new JsonObject();
        next.put(HELD, nextHeld);
      }
      nextHeld.put(event.id(), event.encode());
      return new Applied(next, List.of());
    }
    JsonObject next = applyNow(state, event);
    if (next == state) {
      return new Applied(state, List.of());
    }
    List<Step> steps = new ArrayList<>();
    steps.add(new Step(next, event.time()));
    for (CloudEvent due = due(next); due != null; due = due(next)) {
      JsonObject rest = next.copy();
      JsonObject held = rest.getJsonObject(HELD);
      held.remove(due.id());
      if (held.isEmpty()) {
        rest.remove(HELD);
      }
      next = applyNow(rest, due);
      if (next != rest) {
        steps.add(new Step(next, due.time()));
      }
    }
    return new Applied(next, steps);
  }

  /** Whether an event of {@code type} must wait for a step not known yet. */
  private static boolean waits(JsonObject state, EventType type) {
    OrderStatus after = FOLLOWS.get(type);
    return after != null && !state.getJsonObject("facts").containsKey(after.name());
  }

  /** The earliest held event that need not wait any more, or null. */
  private static CloudEvent due(JsonObject state) {
    JsonObject held = state.getJsonObject(HELD);
    if (held == null) {
      return null;
    }
    return held.stream()
        .map(e -> CloudEvent.parse((String) e.getValue()))
        .filter(e -> !waits(state, EventType.of(e)))
        .min(Comparator.comparing(CloudEvent::time).thenComparing(CloudEvent::id))
        .orElse(null);
  }

  /**
   * The state after {@code event}, applied as it is; the same object (unchanged) if it changes
   * nothing. An event of a type that is not declared moves only {@code updatedAt}.
   */
  private static JsonObject applyNow(JsonObject state, CloudEvent event) {
    JsonObject next = state.copy();
    EventType.find(event.type()).ifPresent(type -> applyTo(next, type, event));
    // the latest time of any event about the order, in whatever order they came
    String updated = state.getString("updatedAt");
    if (updated == null || Instant.parse(updated).isBefore(event.time())) {
      next.put("updatedAt", event.time().toString());
    }
    return next.equals(state) ? state : next;
  }

  /** What an event of {@code type} tells: into {@code next}, which it returns. */
  private static JsonObject applyTo(JsonObject next, EventType type, CloudEvent event) {
    JsonObject d = event.data();
    String fact = StatusFacts.factOf(type);
    if (fact != null) {
      // a fact's time is its earliest event's, whichever topic brought which first
      String known = next.getJsonObject("facts").getString(fact);
      if (known == null || Instant.parse(known).isAfter(event.time())) {
        next.getJsonObject("facts").put(fact, event.time().toString());
      }
    }
    return switch (type) {
      case ORDER_PLACED -> placed(next, OrderPlaced.of(d));
      case ORDER_MODIFIED -> modified(next, OrderModified.of(d), event.time());
      case STORE_ORDER_REJECTED -> next.put("rejectReason", StoreOrderRejected.of(d).reason());
      case STORE_CANCEL_REFUSED ->
          next.put("cancelRefusedReason", StoreCancelRefused.of(d).reason());
      case DELIVERY_ASSIGNED -> {
        if (!next.containsKey("riderId")) {
          next.put("riderId", DeliveryAssigned.of(d).riderId());
        }
        yield next;
      }
      case PAYMENT_AUTHORIZED -> next.put("authorized", PaymentAuthorized.of(d).amount());
      case PAYMENT_ADJUSTED -> {
        PaymentAdjusted adjusted = PaymentAdjusted.of(d);
        next.getJsonObject("adjustments").put(adjusted.modificationId(), adjusted.delta());
        yield next;
      }
      case PAYMENT_REFUNDED -> {
        PaymentRefunded refund = PaymentRefunded.of(d);
        next.getJsonObject("refunds").put(refund.refundId().toString(), refund.amount());
        yield next;
      }
      case NOTIFICATION_REQUESTED -> requested(next, NotificationRequested.of(d), event.time());
      case NOTIFICATION_SENT, NOTIFICATION_FAILED ->
          receipt(next, type, NotificationReceipt.of(d), event.time());
      case ORDER_MODIFICATION_REQUESTED,
          ORDER_CANCEL_REQUESTED,
          ORDER_CANCELLED,
          ORDER_COMPLETED,
          STORE_ORDER_ACCEPTED,
          STORE_COOKING_STARTED,
          STORE_COOKING_FINISHED,
          STORE_CANCEL_CONFIRMED,
          STORE_MODIFICATION_CONFIRMED,
          STORE_MODIFICATION_REFUSED,
          STORE_THANKS_SENT,
          DELIVERY_OPENED,
          DELIVERY_PICKED_UP,
          DELIVERY_DELIVERED,
          DELIVERY_WITHDRAWN,
          CATALOG_STORE_UPDATED ->
          next; // the fact above, if any, is all they tell
    };
  }

  private static JsonObject placed(JsonObject next, OrderPlaced placed) {
    OrderRef order = placed.order();
    next.put("customerId", order.customerId())
        .put("storeId", order.storeId())
        .put("storeName", order.storeName())
        .put("storeNameKo", order.storeNameKo())
        .put("express", placed.express())
        .put("deliveryFee", placed.deliveryFee())
        .put("placedAt", placed.createdAt().toString());
    if (!next.containsKey("authorized")) {
      // an order exists only once its payment was authorized for its total: the view shows the
      // charge from the order itself, not only once payment.authorized (another topic) has come
      next.put("authorized", placed.total());
    }
    if (!next.containsKey("modifiedBy")) {
      next.put("items", Item.json(placed.items())).put("total", placed.total());
    }
    return next;
  }

  private static JsonObject modified(JsonObject next, OrderModified modified, Instant at) {
    String id = modified.modificationId();
    next.put("items", Item.json(modified.items()))
        .put("total", modified.total())
        .put("modifiedBy", id);
    JsonObject changes = next.getJsonObject(ITEMS_CHANGED_AT, new JsonObject());
    if (!changes.containsKey(id)) {
      next.put(ITEMS_CHANGED_AT, changes.copy().put(id, at.toString()));
    }
    return next;
  }

  private static JsonObject requested(JsonObject next, NotificationRequested request, Instant at) {
    JsonObject n =
        notification(next, request.notificationId())
            .put("type", request.template())
            .put("textKo", request.textKo())
            .put("textEn", request.textEn());
    if (!n.containsKey("status")) {
      // a receipt that came first (they travel on another topic) keeps its status and time
      n.put("channel", "kakao").put("status", "requested").put("at", at.toString());
    }
    return next;
  }

  /** The receipt's type, not its {@code status} field, says whether it was sent. */
  private static JsonObject receipt(
      JsonObject next, EventType type, NotificationReceipt receipt, Instant at) {
    JsonObject n = notification(next, receipt.notificationId());
    String known = n.getString("at");
    if (!NotificationReceipt.SENT.equals(n.getString("status"))
            && !NotificationReceipt.FAILED.equals(n.getString("status"))
        || Instant.parse(known).isBefore(at)) {
      // the latest receipt wins, whatever the order they are applied in
      n.put("channel", receipt.channel())
          .put("status", NotificationReceipt.statusOf(type))
          .put("at", at.toString());
    }
    return next;
  }

  /** The notification's entry as it is (an empty one if there is none yet); does not create it. */
  private static JsonObject notification(JsonObject state, UUID notificationId) {
    JsonObject all = state.getJsonObject("notifications");
    String id = notificationId.toString();
    JsonObject n = all.getJsonObject(id);
    if (n == null) {
      n = new JsonObject().put("notificationId", id);
      all.put(id, n);
    }
    return n;
  }
}
