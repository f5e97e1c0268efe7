package dev.baedal.contract;

import dev.baedal.platform.events.CloudEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
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
      case ORDER_PLACED -> {
        next.put("customerId", d.getString("customerId"))
            .put("storeId", d.getString("storeId"))
            .put("storeName", d.getString("storeName"))
            .put("storeNameKo", d.getString("storeNameKo"))
            .put("express", d.getBoolean("express"))
            .put("deliveryFee", d.getInteger("deliveryFee"))
            .put("placedAt", d.getString("createdAt"));
        if (!next.containsKey("modifiedBy")) {
          next.put("items", d.getJsonArray("items")).put("total", d.getInteger("total"));
        }
        yield next;
      }
      case ORDER_MODIFIED -> {
        next.put("items", d.getJsonArray("items"))
            .put("total", d.getInteger("total"))
            .put("modifiedBy", d.getString("modificationId"));
        JsonObject changes = next.getJsonObject(ITEMS_CHANGED_AT, new JsonObject());
        if (!changes.containsKey(d.getString("modificationId"))) {
          next.put(
              ITEMS_CHANGED_AT,
              changes.copy().put(d.getString("modificationId"), event.time().toString()));
        }
        yield next;
      }
      case STORE_ORDER_REJECTED -> next.put("rejectReason", d.getString("reason"));
      case STORE_CANCEL_REFUSED -> next.put("cancelRefusedReason", d.getString("reason"));
      case DELIVERY_ASSIGNED -> {
        if (!next.containsKey("riderId")) {
          next.put("riderId", d.getString("riderId"));
        }
        yield next;
      }
      case PAYMENT_AUTHORIZED -> next.put("authorized", d.getInteger("amount"));
      case PAYMENT_ADJUSTED -> {
        next.getJsonObject("adjustments").put(d.getString("modificationId"), d.getInteger("delta"));
        yield next;
      }
      case PAYMENT_REFUNDED -> {
        next.getJsonObject("refunds").put(d.getString("refundId"), d.getInteger("amount"));
        yield next;
      }
      case NOTIFICATION_REQUESTED -> {
        JsonObject n =
            notification(next, d)
                .put("type", d.getString("template"))
                .put("textKo", d.getString("textKo"))
                .put("textEn", d.getString("textEn"));
        if (!n.containsKey("status")) {
          // a receipt that came first (they travel on another topic) keeps its status and time
          n.put("channel", "kakao").put("status", "requested").put("at", event.time().toString());
        }
        yield next;
      }
      case NOTIFICATION_SENT, NOTIFICATION_FAILED -> {
        JsonObject n = notification(next, d);
        String at = n.getString("at");
        if (!"sent".equals(n.getString("status")) && !"failed".equals(n.getString("status"))
            || Instant.parse(at).isBefore(event.time())) {
          // the latest receipt wins, whatever the order they are applied in
          n.put("channel", d.getString("channel", "kakao"))
              .put("status", type == EventType.NOTIFICATION_SENT ? "sent" : "failed")
              .put("at", event.time().toString());
        }
        yield next;
      }
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

  /** State key: modification id to the time its change of items was applied. */
  private static final String ITEMS_CHANGED_AT = "itemsChangedAt";

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
        .getJsonObject(ITEMS_CHANGED_AT, new JsonObject())
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

  /** The notification's entry as it is (an empty one if there is none yet); does not create it. */
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
