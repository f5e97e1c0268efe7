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
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
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
 */
public final class OrderProjection {
  private OrderProjection() {}

  /** State key: modification id to the time its change of items was applied. */
  static final String ITEMS_CHANGED_AT = "itemsChangedAt";

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
   * The state after {@code event}; the same object (unchanged) if it changes nothing. An event of a
   * type that is not declared moves only {@code updatedAt}.
   */
  public static JsonObject apply(JsonObject state, CloudEvent event) {
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
