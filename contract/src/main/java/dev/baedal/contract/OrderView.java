package dev.baedal.contract;

import dev.baedal.platform.events.CloudEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The order view of contract section 5, projected from events alone.
 *
 * <p>The projection keeps a state object (JSON, so it can be stored and sent as it is) and derives
 * the view from it. Applying an event is idempotent and order-insensitive across topics: facts keep
 * their first time, refunds, extra charges and notifications are keyed by their ids. So the query
 * side can replay the topics, and a live subscriber can apply the events it sees to a snapshot
 * without ever double counting.
 */
public final class OrderView {
  private OrderView() {}

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
  public static final Set<String> EVENT_TYPES = eventTypes();

  private static Set<String> eventTypes() {
    Set<String> types = new HashSet<>(StatusFacts.eventTypes());
    types.addAll(
        List.of(
            "order.placed",
            "order.modified",
            "payment.authorized",
            "payment.adjusted",
            "payment.refunded",
            "notification.requested",
            "notification.sent",
            "notification.failed"));
    return Set.copyOf(types);
  }

  /** Whether {@code event} can change an order view at all. */
  public static boolean concerns(CloudEvent event) {
    return EVENT_TYPES.contains(event.type());
  }

  /** The state after {@code event}; the same object (unchanged) if it changes nothing. */
  public static JsonObject apply(JsonObject state, CloudEvent event) {
    JsonObject next = state.copy();
    JsonObject d = event.data();
    String fact = StatusFacts.factOf(event.type());
    if (fact != null) {
      // a fact's time is its earliest event's, whichever topic brought which first
      String known = next.getJsonObject("facts").getString(fact);
      if (known == null || Instant.parse(known).isAfter(event.time())) {
        next.getJsonObject("facts").put(fact, event.time().toString());
      }
    }
    switch (event.type()) {
      case "order.placed" -> {
        next.put("customerId", d.getString("customerId"))
            .put("storeId", d.getString("storeId"))
            .put("storeName", d.getString("storeName"))
            .put("express", d.getBoolean("express"))
            .put("deliveryFee", d.getInteger("deliveryFee"))
            .put("placedAt", d.getString("createdAt"));
        if (!next.containsKey("modifiedBy")) {
          next.put("items", d.getJsonArray("items")).put("total", d.getInteger("total"));
        }
      }
      case "order.modified" ->
          next.put("items", d.getJsonArray("items"))
              .put("total", d.getInteger("total"))
              .put("modifiedBy", d.getString("modificationId"));
      case "store.order-rejected" -> next.put("rejectReason", d.getString("reason"));
      case "store.cancel-refused" -> next.put("cancelRefusedReason", d.getString("reason"));
      case "delivery.assigned" -> {
        if (!next.containsKey("riderId")) {
          next.put("riderId", d.getString("riderId"));
        }
      }
      case "payment.authorized" -> next.put("authorized", d.getInteger("amount"));
      case "payment.adjusted" ->
          next.getJsonObject("adjustments")
              .put(d.getString("modificationId"), d.getInteger("delta"));
      case "payment.refunded" ->
          next.getJsonObject("refunds").put(d.getString("refundId"), d.getInteger("amount"));
      case "notification.requested" -> {
        JsonObject n = notification(next, d).put("type", d.getString("template"));
        if (!n.containsKey("status")) {
          // a receipt that came first (they travel on another topic) keeps its status and time
          n.put("channel", "kakao").put("status", "requested").put("at", event.time().toString());
        }
      }
      case "notification.sent", "notification.failed" -> {
        JsonObject n = notification(next, d);
        String at = n.getString("at");
        if (!"sent".equals(n.getString("status")) && !"failed".equals(n.getString("status"))
            || Instant.parse(at).isBefore(event.time())) {
          // the latest receipt wins, whatever the order they are applied in
          n.put("channel", d.getString("channel", "kakao"))
              .put("status", event.type().equals("notification.sent") ? "sent" : "failed")
              .put("at", event.time().toString());
        }
      }
      default -> {
        // other events change no view
      }
    }
    // the latest time of any event about the order, in whatever order they came
    String updated = state.getString("updatedAt");
    if (updated == null || Instant.parse(updated).isBefore(event.time())) {
      next.put("updatedAt", event.time().toString());
    }
    return next.equals(state) ? state : next;
  }

  /** The contract's view, or null while the order itself ({@code order.placed}) is not known. */
  public static JsonObject view(JsonObject state) {
    if (!state.containsKey("placedAt")) {
      return null;
    }
    StatusFacts facts = facts(state);
    int authorized = state.getInteger("authorized", 0);
    int charged = authorized + sum(state.getJsonObject("adjustments"));
    int refunded = sum(state.getJsonObject("refunds"));
    // one shape and one order whatever order the events came in: by time, then id
    List<JsonObject> sorted = new java.util.ArrayList<>();
    state
        .getJsonObject("notifications")
        .forEach(
            e -> {
              JsonObject n = (JsonObject) e.getValue();
              sorted.add(
                  new JsonObject()
                      .put("notificationId", n.getString("notificationId"))
                      .put("type", n.getString("type"))
                      .put("channel", n.getString("channel"))
                      .put("status", n.getString("status"))
                      .put("at", n.getString("at")));
            });
    sorted.sort(
        java.util.Comparator.comparing(
                (JsonObject n) ->
                    n.getString("at") == null ? Instant.MIN : Instant.parse(n.getString("at")))
            .thenComparing(n -> n.getString("notificationId")));
    JsonArray notifications = new JsonArray(new java.util.ArrayList<Object>(sorted));
    return new JsonObject()
        .put("orderId", state.getString("orderId"))
        .put("customerId", state.getString("customerId"))
        .put("storeId", state.getString("storeId"))
        .put("storeName", state.getString("storeName"))
        .put("items", state.getJsonArray("items").copy())
        .put("total", state.getInteger("total"))
        .put("deliveryFee", state.getInteger("deliveryFee"))
        .put("express", state.getBoolean("express"))
        .put("status", facts.status().name())
        .put("riderId", state.getString("riderId"))
        .put("timeline", facts.timeline())
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

  /** The derived status, or null while the order is not known. */
  public static String status(JsonObject state) {
    return state.containsKey("placedAt") ? facts(state).status().name() : null;
  }

  private static StatusFacts facts(JsonObject state) {
    return new StatusFacts(
        Instant.parse(state.getString("placedAt")), state.getJsonObject("facts"));
  }

  private static JsonObject notification(JsonObject state, JsonObject data) {
    JsonObject all = state.getJsonObject("notifications");
    String id = data.getString("notificationId");
    JsonObject n = all.getJsonObject(id);
    if (n == null) {
      n = new JsonObject().put("notificationId", id);
      all.put(id, n);
    }
    return n;
  }

  private static int sum(JsonObject amounts) {
    int total = 0;
    for (String key : amounts.fieldNames()) {
      total += amounts.getInteger(key);
    }
    return total;
  }
}
