package dev.baedal.contract;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

  private static final Map<String, String> FACT_OF_EVENT =
      Map.ofEntries(
          Map.entry("store.order-accepted", OrderStatus.ACCEPTED.name()),
          Map.entry("store.order-rejected", OrderStatus.REJECTED.name()),
          Map.entry("store.cooking-started", OrderStatus.COOKING.name()),
          Map.entry("store.cooking-finished", OrderStatus.COOKED.name()),
          Map.entry("delivery.assigned", OrderStatus.RIDER_ASSIGNED.name()),
          Map.entry("delivery.picked-up", OrderStatus.PICKED_UP.name()),
          Map.entry("delivery.delivered", OrderStatus.DELIVERED.name()),
          Map.entry("order.completed", OrderStatus.COMPLETED.name()),
          Map.entry("order.cancel-requested", OrderStatus.CANCEL_REQUESTED.name()),
          Map.entry("store.cancel-confirmed", OrderStatus.CANCELLED.name()),
          Map.entry("order.cancelled", OrderStatus.CANCELLED.name()),
          Map.entry("store.cancel-refused", CANCEL_REFUSED));

  public StatusFacts {
    facts = facts == null ? new JsonObject() : facts;
  }

  /** Every event type that records a fact. */
  public static java.util.Set<String> eventTypes() {
    return FACT_OF_EVENT.keySet();
  }

  /** The fact an event type records, or null for events that change no status. */
  public static String factOf(String eventType) {
    return FACT_OF_EVENT.get(eventType);
  }

  public boolean has(String fact) {
    return facts.containsKey(fact);
  }

  public boolean has(OrderStatus fact) {
    return has(fact.name());
  }

  /** These facts plus {@code fact} at {@code at}; the first time recorded wins. */
  public StatusFacts with(String fact, Instant at) {
    return has(fact) ? this : new StatusFacts(placedAt, facts.copy().put(fact, at.toString()));
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
