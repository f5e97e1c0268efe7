package dev.baedal.notify;

import dev.baedal.contract.EventType;
import dev.baedal.contract.Item;
import dev.baedal.contract.OrderStatus;
import dev.baedal.contract.StatusFacts;
import dev.baedal.contract.events.DeliveryAssigned;
import dev.baedal.contract.events.OrderModified;
import dev.baedal.contract.events.OrderPlaced;
import dev.baedal.contract.events.StoreCancelRefused;
import dev.baedal.contract.events.StoreOrderRejected;
import dev.baedal.platform.events.CloudEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * What notify knows of one order, and which notices it owes the customer: a pure state kept as
 * JSON. Each fact (a status reached, the thank-you, a change of items) calls for exactly one
 * notice, due once the order itself is known; which notices are owed is derived from the facts, so
 * events of different topics may arrive in any order, or twice.
 */
final class OrderNotices {
  /** The fact of the store's thank-you ({@code store.thanks-sent}). */
  static final String THANKS = "THANKS";

  /** The key prefix of a change of items' notice, before its modification id. */
  static final String MODIFIED = "MODIFIED:";

  /** The template of each fact's notice. */
  private static final Map<String, String> TEMPLATE_OF_FACT =
      Map.ofEntries(
          Map.entry(OrderStatus.PAID.name(), "order_paid"),
          Map.entry(OrderStatus.ACCEPTED.name(), "order_accepted"),
          Map.entry(OrderStatus.REJECTED.name(), "order_rejected"),
          Map.entry(OrderStatus.COOKING.name(), "cooking_started"),
          Map.entry(OrderStatus.COOKED.name(), "cooking_finished"),
          Map.entry(OrderStatus.RIDER_ASSIGNED.name(), "rider_assigned"),
          Map.entry(OrderStatus.PICKED_UP.name(), "delivery_started"),
          Map.entry(OrderStatus.DELIVERED.name(), "delivered"),
          Map.entry(OrderStatus.COMPLETED.name(), "completed"),
          Map.entry(OrderStatus.CANCEL_REQUESTED.name(), "cancel_requested"),
          Map.entry(OrderStatus.CANCELLED.name(), "cancelled"),
          Map.entry(StatusFacts.CANCEL_REFUSED, "cancel_refused"),
          Map.entry(THANKS, "thanks"));

  /** A notice owed: its key (once per order), template, time and what its text shows. */
  record Notice(String key, String template, Instant at, JsonObject values) {}

  private final JsonObject state;

  private OrderNotices(JsonObject state) {
    this.state = state;
  }

  static OrderNotices empty() {
    return new OrderNotices(
        new JsonObject()
            .put("facts", new JsonObject())
            .put("modifications", new JsonObject())
            .put("notified", new JsonArray()));
  }

  /** From its stored JSON (an empty object for an order nothing is known of). */
  static OrderNotices of(JsonObject stored) {
    OrderNotices empty = empty();
    return new OrderNotices(empty.state.mergeIn(stored));
  }

  JsonObject toJson() {
    return state;
  }

  String storeId() {
    return state.getString("storeId");
  }

  /** This state with what {@code e} tells about the order. */
  OrderNotices apply(CloudEvent e) {
    EventType type = EventType.of(e);
    JsonObject next = state.copy();
    String fact = StatusFacts.factOf(type);
    if (fact != null && !next.getJsonObject("facts").containsKey(fact)) {
      next.getJsonObject("facts").put(fact, e.time().toString());
    }
    told(next, type, e);
    return next.equals(state) ? this : new OrderNotices(next);
  }

  /** What an event of {@code type} tells besides its fact: into {@code next}, which it returns. */
  private static JsonObject told(JsonObject next, EventType type, CloudEvent e) {
    JsonObject d = e.data();
    return switch (type) {
      case ORDER_PLACED -> {
        OrderPlaced placed = OrderPlaced.of(d);
        next.put("customerId", placed.order().customerId())
            .put("phone", placed.deliveryAddress().phone())
            .put("storeId", placed.order().storeId())
            .put("storeName", placed.order().storeName())
            .put("placedAt", placed.createdAt().toString());
        if (!next.containsKey("items")) {
          next.put("items", Item.json(placed.items())).put("total", placed.total());
        }
        yield next;
      }
      case ORDER_MODIFIED -> {
        // the latest change's items and total are the order's; each change is its own notice
        OrderModified modified = OrderModified.of(d);
        JsonArray items = Item.json(modified.items());
        next.getJsonObject("modifications")
            .put(
                modified.modificationId(),
                new JsonObject()
                    .put("at", e.time().toString())
                    .put("items", items)
                    .put("total", modified.total()));
        yield next.put("items", items.copy()).put("total", modified.total());
      }
      case DELIVERY_ASSIGNED -> next.put("etaMinutes", DeliveryAssigned.of(d).etaMinutes());
      case STORE_ORDER_REJECTED -> next.put("rejectReason", StoreOrderRejected.of(d).reason());
      case STORE_CANCEL_REFUSED ->
          next.put("cancelRefusedReason", StoreCancelRefused.of(d).reason());
      case STORE_THANKS_SENT -> {
        next.getJsonObject("facts").put(THANKS, e.time().toString());
        yield next;
      }
      case ORDER_MODIFICATION_REQUESTED,
          ORDER_CANCEL_REQUESTED,
          ORDER_CANCELLED,
          ORDER_COMPLETED,
          PAYMENT_AUTHORIZED,
          PAYMENT_ADJUSTED,
          PAYMENT_REFUNDED,
          STORE_ORDER_ACCEPTED,
          STORE_COOKING_STARTED,
          STORE_COOKING_FINISHED,
          STORE_CANCEL_CONFIRMED,
          STORE_MODIFICATION_CONFIRMED,
          STORE_MODIFICATION_REFUSED,
          DELIVERY_OPENED,
          DELIVERY_PICKED_UP,
          DELIVERY_DELIVERED,
          DELIVERY_WITHDRAWN,
          CATALOG_STORE_UPDATED,
          NOTIFICATION_REQUESTED,
          NOTIFICATION_SENT,
          NOTIFICATION_FAILED ->
          next; // the fact, if any, is all it tells
    };
  }

  /**
   * The notices owed and not yet asked for, in the order of their facts' times: none while the
   * order itself ({@code order.placed}) is not known.
   */
  List<Notice> due() {
    if (!state.containsKey("placedAt")) {
      return List.of();
    }
    JsonArray notified = state.getJsonArray("notified");
    List<Notice> due = new ArrayList<>();
    JsonObject base = values(state.getJsonArray("items"), state.getInteger("total"));
    addIfOwed(due, notified, OrderStatus.PAID.name(), state.getString("placedAt"), base);
    state
        .getJsonObject("facts")
        .forEach(f -> addIfOwed(due, notified, f.getKey(), (String) f.getValue(), base));
    state
        .getJsonObject("modifications")
        .forEach(
            m -> {
              JsonObject change = (JsonObject) m.getValue();
              if (!notified.contains(MODIFIED + m.getKey())) {
                due.add(
                    new Notice(
                        MODIFIED + m.getKey(),
                        "order_modified",
                        Instant.parse(change.getString("at")),
                        values(change.getJsonArray("items"), change.getInteger("total"))));
              }
            });
    due.sort(Comparator.comparing(Notice::at));
    return due;
  }

  private void addIfOwed(
      List<Notice> due, JsonArray notified, String fact, String at, JsonObject values) {
    String template = TEMPLATE_OF_FACT.get(fact);
    if (template != null && !notified.contains(fact)) {
      String reason =
          switch (fact) {
            case "REJECTED" -> state.getString("rejectReason");
            case StatusFacts.CANCEL_REFUSED -> state.getString("cancelRefusedReason");
            default -> null;
          };
      due.add(new Notice(fact, template, Instant.parse(at), values.copy().put("reason", reason)));
    }
  }

  /** What a notice's text may show: the order's store, items, total and the rider's ETA. */
  private JsonObject values(JsonArray items, Integer total) {
    return new JsonObject()
        .put("storeName", state.getString("storeName"))
        .put("items", items)
        .put("total", total)
        .put("etaMinutes", state.getInteger("etaMinutes"));
  }

  /** This state once {@code notices} have been asked for. */
  OrderNotices notified(List<Notice> notices) {
    if (notices.isEmpty()) {
      return this;
    }
    JsonObject next = state.copy();
    notices.forEach(n -> next.getJsonArray("notified").add(n.key()));
    return new OrderNotices(next);
  }

  String customerId() {
    return state.getString("customerId");
  }

  String phone() {
    return state.getString("phone");
  }
}
