package dev.baedal.contract;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The order view of contract section 5, derived from the state {@link OrderProjection} keeps: the
 * same state always gives the same view.
 */
public final class OrderView {
  private OrderView() {}

  /** The contract's view, or null while the order itself ({@code order.placed}) is not known. */
  public static JsonObject view(JsonObject state) {
    if (!state.containsKey("placedAt")) {
      return null;
    }
    StatusFacts facts = facts(state);
    int authorized = state.getInteger("authorized", 0);
    int charged = authorized + sum(state.getJsonObject("adjustments"));
    int refunded = sum(state.getJsonObject("refunds"));
    List<JsonObject> sent = new ArrayList<>();
    state
        .getJsonObject("notifications")
        .forEach(e -> sent.add(notificationView((JsonObject) e.getValue())));
    // in time order, whatever order their requests and receipts came in (a replay reads the topics
    // in another interleaving): the same state gives the same view
    sent.sort(
        Comparator.comparing(
                (JsonObject n) ->
                    n.getString("at") == null ? Instant.MIN : Instant.parse(n.getString("at")))
            .thenComparing(n -> String.valueOf(n.getString("notificationId"))));
    JsonArray notifications = new JsonArray(new ArrayList<Object>(sent));
    return new JsonObject()
        .put("orderId", state.getString("orderId"))
        .put("customerId", state.getString("customerId"))
        .put("storeId", state.getString("storeId"))
        .put("storeName", state.getString("storeName"))
        .put("storeNameKo", state.getString("storeNameKo"))
        .put("items", state.getJsonArray("items").copy())
        .put("total", state.getInteger("total"))
        .put("deliveryFee", state.getInteger("deliveryFee"))
        .put("express", state.getBoolean("express"))
        .put("status", facts.status().name())
        .put("riderId", state.getString("riderId"))
        .put("timeline", timeline(facts, state))
        .put("notifications", notifications)
        .put(
            "payment",
            new JsonObject()
                .put(
                    "status",
                    authorized == 0
                        ? "PENDING"
                        : refunded == 0
                            ? "AUTHORIZED"
                            : refunded >= charged ? "REFUNDED" : "PARTIALLY_REFUNDED")
                .put("amount", charged)
                .put("refunded", refunded))
        .put("rejectReason", state.getString("rejectReason"))
        .put("cancelRefusedReason", state.getString("cancelRefusedReason"))
        .put("updatedAt", state.getString("updatedAt"));
  }

  /** An entry of the timeline that is an event, not a change of status: its name. */
  public static final String ITEMS_CHANGED = "ITEMS_CHANGED";

  /** The store refused a cancel: the order went back to the status it had. */
  public static final String CANCEL_REFUSED = StatusFacts.CANCEL_REFUSED;

  /**
   * The statuses in time order ({@code {"status","at"}}, from {@link StatusFacts#timeline}), with
   * the changes that left the status as it was: {@code {"status","at","event"}}, the event {@link
   * #ITEMS_CHANGED} or {@link #CANCEL_REFUSED} and the status the order had after it.
   */
  private static JsonArray timeline(StatusFacts facts, JsonObject state) {
    List<JsonObject> entries = new ArrayList<>();
    facts.timeline().forEach(e -> entries.add((JsonObject) e));
    List<Map.Entry<String, Instant>> events = new ArrayList<>();
    state
        .getJsonObject(OrderProjection.ITEMS_CHANGED_AT, new JsonObject())
        .forEach(e -> events.add(Map.entry(ITEMS_CHANGED, Instant.parse((String) e.getValue()))));
    if (facts.has(CANCEL_REFUSED)) {
      events.add(Map.entry(CANCEL_REFUSED, Instant.parse(facts.facts().getString(CANCEL_REFUSED))));
    }
    events.sort(Map.Entry.<String, Instant>comparingByValue().thenComparing(Map.Entry::getKey));
    for (Map.Entry<String, Instant> e : events) {
      entries.add(
          new JsonObject()
              .put("status", facts.asOf(e.getValue()).status().name())
              .put("at", e.getValue().toString())
              .put("event", e.getKey()));
    }
    // stable: an event stays after the status change of the same instant
    entries.sort(Comparator.comparing(e -> Instant.parse(e.getString("at"))));
    return new JsonArray(new ArrayList<Object>(entries));
  }

  /** The derived status, or null while the order is not known. */
  public static String status(JsonObject state) {
    return state.containsKey("placedAt") ? facts(state).status().name() : null;
  }

  private static StatusFacts facts(JsonObject state) {
    return new StatusFacts(
        Instant.parse(state.getString("placedAt")), state.getJsonObject("facts"));
  }

  /** A notification as the view shows it, its fields always in the same order. */
  private static JsonObject notificationView(JsonObject n) {
    JsonObject out = new JsonObject();
    for (String key :
        List.of("notificationId", "type", "channel", "status", "at", "textKo", "textEn")) {
      if (n.getValue(key) != null) {
        out.put(key, n.getValue(key));
      }
    }
    return out;
  }

  private static int sum(JsonObject amounts) {
    int total = 0;
    for (String key : amounts.fieldNames()) {
      total += amounts.getInteger(key);
    }
    return total;
  }
}
