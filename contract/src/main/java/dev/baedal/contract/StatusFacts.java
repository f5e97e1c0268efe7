package dev.baedal.contract;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The status machine of contract section 4, as facts: which steps happened and when. The status is
 * derived from them, so events from different topics may arrive in any order, or twice, and the
 * status never goes backwards. The order context (write side) and the query side use the same
 * rules.
 *
 * @param facts fact name (an {@link OrderStatus} or {@link #CANCEL_REFUSED}) to RFC 3339 time
 */
public record StatusFacts(Instant placedAt, JsonObject facts) {
  public static final String CANCEL_REFUSED = "CANCEL_REFUSED";

  public StatusFacts {
    facts = facts == null ? new JsonObject() : facts;
  }

  /** Every event type that records a fact. */
  public static Set<EventType> eventTypes() {
    Set<EventType> types = EnumSet.noneOf(EventType.class);
    for (EventType t : EventType.values()) {
      if (factOf(t) != null) {
        types.add(t);
      }
    }
    return types;
  }

  /** The fact an event type records, or null for events that change no status. */
  public static String factOf(EventType type) {
    return switch (type) {
      case STORE_ORDER_ACCEPTED -> OrderStatus.ACCEPTED.name();
      case STORE_ORDER_REJECTED -> OrderStatus.REJECTED.name();
      case STORE_COOKING_STARTED -> OrderStatus.COOKING.name();
      case STORE_COOKING_FINISHED -> OrderStatus.COOKED.name();
      case DELIVERY_ASSIGNED -> OrderStatus.RIDER_ASSIGNED.name();
      case DELIVERY_PICKED_UP -> OrderStatus.PICKED_UP.name();
      case DELIVERY_DELIVERED -> OrderStatus.DELIVERED.name();
      case ORDER_COMPLETED -> OrderStatus.COMPLETED.name();
      case ORDER_CANCEL_REQUESTED -> OrderStatus.CANCEL_REQUESTED.name();
      case STORE_CANCEL_CONFIRMED, ORDER_CANCELLED -> OrderStatus.CANCELLED.name();
      case STORE_CANCEL_REFUSED -> CANCEL_REFUSED;
      case ORDER_PLACED,
          ORDER_MODIFICATION_REQUESTED,
          ORDER_MODIFIED,
          PAYMENT_AUTHORIZED,
          PAYMENT_ADJUSTED,
          PAYMENT_REFUNDED,
          STORE_MODIFICATION_CONFIRMED,
          STORE_MODIFICATION_REFUSED,
          STORE_THANKS_SENT,
          DELIVERY_OPENED,
          DELIVERY_WITHDRAWN,
          CATALOG_STORE_UPDATED,
          NOTIFICATION_REQUESTED,
          NOTIFICATION_SENT,
          NOTIFICATION_FAILED ->
          null;
    };
  }

  public boolean has(String fact) {
    return facts.containsKey(fact);
  }

  public boolean has(OrderStatus fact) {
    return has(fact.name());
  }

  /** The facts as they were at {@code t}: those that happened then or before. */
  public StatusFacts asOf(Instant t) {
    JsonObject before = new JsonObject();
    for (String key : facts.fieldNames()) {
      if (!at(key).isAfter(t)) {
        before.put(key, facts.getValue(key));
      }
    }
    return new StatusFacts(placedAt, before);
  }

  /** The status customers see. */
  public OrderStatus status() {
    if (has(OrderStatus.CANCELLED)) {
      return OrderStatus.CANCELLED;
    }
    if (has(OrderStatus.REJECTED)) {
      return OrderStatus.REJECTED;
    }
    for (OrderStatus s :
        List.of(OrderStatus.COMPLETED, OrderStatus.DELIVERED, OrderStatus.PICKED_UP)) {
      if (has(s)) {
        return s;
      }
    }
    if (has(OrderStatus.COOKED) && has(OrderStatus.RIDER_ASSIGNED)) {
      // either may come first (a rider can claim while the food cooks): the later one shows
      return at(OrderStatus.COOKED).isAfter(at(OrderStatus.RIDER_ASSIGNED))
          ? OrderStatus.COOKED
          : OrderStatus.RIDER_ASSIGNED;
    }
    for (OrderStatus s :
        List.of(OrderStatus.RIDER_ASSIGNED, OrderStatus.COOKED, OrderStatus.COOKING)) {
      if (has(s)) {
        return s;
      }
    }
    if (cancelPending()) {
      return OrderStatus.CANCEL_REQUESTED;
    }
    return has(OrderStatus.ACCEPTED) ? OrderStatus.ACCEPTED : OrderStatus.PAID;
  }

  /** A cancel was asked for and the store has not answered it yet. */
  public boolean cancelPending() {
    return has(OrderStatus.CANCEL_REQUESTED) && !has(CANCEL_REFUSED) && !has(OrderStatus.CANCELLED);
  }

  /** The statuses the order has been in, in time order, starting with PAID. */
  public JsonArray timeline() {
    List<Map.Entry<String, Instant>> steps = new ArrayList<>();
    steps.add(Map.entry(OrderStatus.PAID.name(), placedAt));
    for (String key : facts.fieldNames()) {
      if (!key.equals(CANCEL_REFUSED)) {
        steps.add(Map.entry(key, at(key)));
      }
    }
    steps.sort(Map.Entry.comparingByValue());
    JsonArray timeline = new JsonArray();
    steps.forEach(
        s ->
            timeline.add(
                new JsonObject().put("status", s.getKey()).put("at", s.getValue().toString())));
    return timeline;
  }

  private Instant at(OrderStatus fact) {
    return at(fact.name());
  }

  private Instant at(String fact) {
    return Instant.parse(facts.getString(fact));
  }
}
