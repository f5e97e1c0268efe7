package dev.baedal.notify;

import dev.baedal.contract.OrderStatus;
import dev.baedal.contract.StatusFacts;
import dev.baedal.platform.Topics;
import dev.baedal.platform.events.CloudEvent;
import dev.baedal.platform.outbox.Outbox;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.text.NumberFormat;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Turns what happens to an order into KakaoTalk-style notification requests: exactly one per
 * customer-visible status change (contract section 4) and one for the store's thank-you. A
 * notification's id is derived from the order and the template, so a redelivered or replayed event
 * can never ask for the same message twice.
 */
final class NotifyService {
  static final String SCHEMA = "notify_svc";

  private static final Map<OrderStatus, String> TEMPLATE_OF_STATUS =
      Map.ofEntries(
          Map.entry(OrderStatus.PAID, "order_paid"),
          Map.entry(OrderStatus.ACCEPTED, "order_accepted"),
          Map.entry(OrderStatus.REJECTED, "order_rejected"),
          Map.entry(OrderStatus.COOKING, "cooking_started"),
          Map.entry(OrderStatus.COOKED, "cooking_finished"),
          Map.entry(OrderStatus.RIDER_ASSIGNED, "rider_assigned"),
          Map.entry(OrderStatus.PICKED_UP, "delivery_started"),
          Map.entry(OrderStatus.DELIVERED, "delivered"),
          Map.entry(OrderStatus.COMPLETED, "completed"),
          Map.entry(OrderStatus.CANCEL_REQUESTED, "cancel_requested"),
          Map.entry(OrderStatus.CANCELLED, "cancelled"));

  private static final String FIND =
      "select * from notify_svc.orders where order_id = $1 for update";
  private static final String UPSERT =
      "insert into notify_svc.orders (order_id, customer_id, phone, store_name, items, total,"
          + " placed_at, facts, eta_minutes, reason, notified_status, store_id)"
          + " values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) on conflict (order_id) do update set"
          + " customer_id = excluded.customer_id, phone = excluded.phone, store_id = excluded.store_id,"
          + " store_name = excluded.store_name, items = excluded.items, total = excluded.total,"
          + " placed_at = excluded.placed_at, facts = excluded.facts,"
          + " eta_minutes = excluded.eta_minutes, reason = excluded.reason,"
          + " notified_status = excluded.notified_status";
  private static final String INSERT_NOTIFICATION =
      "insert into notify_svc.notifications (notification_id, order_id, template, status)"
          + " values ($1, $2, $3, 'requested') on conflict (notification_id) do nothing";
  private static final String RECORD_OUTCOME =
      "update notify_svc.notifications set status = $2, outcome_at = $3, error = $4"
          + " where notification_id = $1";

  private static final String UPSERT_NAME =
      "insert into notify_svc.catalog_names (store_id, menu_id, name_ko) values ($1, $2, $3)"
          + " on conflict (store_id, menu_id) do update set name_ko = excluded.name_ko";
  private static final String NAMES =
      "select menu_id, name_ko from notify_svc.catalog_names where store_id = $1";

  /** The events that change what notify knows of an order, or of a notification's outcome. */
  static final Set<String> HANDLES = handles();

  private static Set<String> handles() {
    Set<String> types = new java.util.HashSet<>(StatusFacts.eventTypes());
    types.addAll(
        Set.of(
            "order.placed",
            "order.modified",
            "store.thanks-sent",
            "catalog.store-updated",
            "notification.sent",
            "notification.failed"));
    return Set.copyOf(types);
  }

  private final Templates templates = new Templates();
  private final Outbox outbox = new Outbox(SCHEMA);
  private final String publicUrl;

  NotifyService(String publicUrl) {
    this.publicUrl =
        publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
  }

  /** Handles an event of the order, store, delivery or receipt topics. */
  Future<Void> on(SqlConnection tx, CloudEvent event) {
    if (event.type().equals("notification.sent") || event.type().equals("notification.failed")) {
      return outcome(tx, event);
    }
    if (event.type().equals("catalog.store-updated")) {
      return koreanNames(tx, event.data());
    }
    boolean relevant =
        StatusFacts.factOf(event.type()) != null
            || event.type().equals("order.placed")
            || event.type().equals("order.modified")
            || event.type().equals("store.thanks-sent");
    if (!relevant) {
      return Future.succeededFuture();
    }
    UUID orderId = UUID.fromString(event.subject());
    return tx.preparedQuery(FIND)
        .execute(Tuple.of(orderId))
        .compose(
            rs -> {
              State before = rs.size() == 0 ? State.empty(orderId) : State.of(rs.iterator().next());
              State after = before.apply(event);
              Future<Void> sent = Future.succeededFuture();
              if (after.placedAt != null) {
                OrderStatus status = after.statusFacts().status();
                if (!status.name().equals(after.notifiedStatus)) {
                  String template =
                      event.type().equals("store.cancel-refused")
                          ? "cancel_refused"
                          : TEMPLATE_OF_STATUS.get(status);
                  after = after.notified(status.name());
                  sent = request(tx, after, template, event.time());
                }
                if (event.type().equals("store.thanks-sent")) {
                  State thanked = after;
                  sent = sent.compose(v -> request(tx, thanked, "thanks", event.time()));
                }
              }
              State saved = after;
              return sent.compose(v -> save(tx, saved));
            });
  }

  /** Keeps the Korean names of a store and its menu from a catalogue snapshot. */
  private Future<Void> koreanNames(SqlConnection tx, JsonObject store) {
    String storeId = store.getString("storeId");
    java.util.List<Tuple> rows = new java.util.ArrayList<>();
    rows.add(Tuple.of(storeId, "", store.getString("nameKo", store.getString("name"))));
    JsonArray menu = store.getJsonArray("menu", new JsonArray());
    for (int i = 0; i < menu.size(); i++) {
      JsonObject m = menu.getJsonObject(i);
      rows.add(
          Tuple.of(storeId, m.getString("menuId"), m.getString("nameKo", m.getString("name"))));
    }
    return tx.preparedQuery(UPSERT_NAME).executeBatch(rows).mapEmpty();
  }

  private Future<Void> request(SqlConnection tx, State order, String template, Instant at) {
    if (order.storeId == null) {
      return request(tx, order, template, at, Map.of());
    }
    return tx.preparedQuery(NAMES)
        .execute(Tuple.of(order.storeId))
        .compose(
            rs -> {
              Map<String, String> ko = new HashMap<>();
              rs.forEach(r -> ko.put(r.getString("menu_id"), r.getString("name_ko")));
              return request(tx, order, template, at, ko);
            });
  }

  /** {@code ko}: Korean names by menu id, the store's under "". */
  private Future<Void> request(
      SqlConnection tx, State order, String template, Instant at, Map<String, String> ko) {
    UUID id =
        UUID.nameUUIDFromBytes(
            ("notification\n" + order.orderId + "\n" + template).getBytes(StandardCharsets.UTF_8));
    Map<String, String> values = new HashMap<>();
    values.put("storeName", order.storeName);
    values.put("items", items(order.items, Map.of()));
    values.put(
        "total",
        order.total == null
            ? "-"
            : NumberFormat.getIntegerInstance(Locale.KOREA).format(order.total));
    values.put("eta", order.etaMinutes == null ? "-" : String.valueOf(order.etaMinutes));
    values.put("reason", order.reason);
    String en = templates.render(template, "en", values);
    values.put("storeName", ko.getOrDefault("", order.storeName));
    values.put("items", items(order.items, ko));
    String korean = templates.render(template, "ko", values);
    String url = publicUrl + "/customer.html?order=" + order.orderId;
    JsonObject data =
        new JsonObject()
            .put("notificationId", id.toString())
            .put("orderId", order.orderId.toString())
            .put("customerId", order.customerId)
            .put("recipientPhone", order.phone)
            .put("template", template)
            .put("text", korean + "\n" + en)
            .put("textKo", korean)
            .put("textEn", en)
            .put(
                "buttons",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("title", templates.button("ko") + " " + templates.button("en"))
                            .put("url", url)));
    CloudEvent requested =
        new CloudEvent(
            UUID.randomUUID().toString(),
            "/notify",
            "notification.requested",
            order.orderId.toString(),
            at,
            data);
    return tx.preparedQuery(INSERT_NOTIFICATION)
        .execute(Tuple.of(id, order.orderId, template))
        .compose(
            rs ->
                rs.rowCount() == 1
                    ? outbox.append(tx, Topics.NOTIFICATION_REQUESTS, requested)
                    : Future.succeededFuture());
  }

  private Future<Void> outcome(SqlConnection tx, CloudEvent event) {
    JsonObject d = event.data();
    UUID id;
    try {
      id = UUID.fromString(d.getString("notificationId"));
    } catch (IllegalArgumentException | NullPointerException e) {
      return Future.failedFuture("receipt without a notificationId");
    }
    String status = event.type().equals("notification.sent") ? "sent" : "failed";
    return tx.preparedQuery(RECORD_OUTCOME)
        .execute(
            Tuple.of(
                id, status, event.time().atOffset(java.time.ZoneOffset.UTC), d.getString("error")))
        .mapEmpty();
  }

  private Future<Void> save(SqlConnection tx, State s) {
    return tx.preparedQuery(UPSERT)
        .execute(
            Tuple.tuple()
                .addUUID(s.orderId)
                .addString(s.customerId)
                .addString(s.phone)
                .addString(s.storeName)
                .addJsonArray(s.items)
                .addInteger(s.total)
                .addOffsetDateTime(
                    s.placedAt == null ? null : s.placedAt.atOffset(java.time.ZoneOffset.UTC))
                .addJsonObject(s.facts)
                .addInteger(s.etaMinutes)
                .addString(s.reason)
                .addString(s.notifiedStatus)
                .addString(s.storeId))
        .mapEmpty();
  }

  private static String items(JsonArray items, Map<String, String> names) {
    if (items == null) {
      return "-";
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < items.size(); i++) {
      JsonObject item = items.getJsonObject(i);
      if (i > 0) {
        out.append(", ");
      }
      String name = names.getOrDefault(item.getString("menuId"), item.getString("name"));
      out.append(name).append(" x").append(item.getInteger("quantity"));
    }
    return out.toString();
  }

  /** What notify keeps of an order. */
  private record State(
      UUID orderId,
      String customerId,
      String phone,
      String storeId,
      String storeName,
      JsonArray items,
      Integer total,
      Instant placedAt,
      JsonObject facts,
      Integer etaMinutes,
      String reason,
      String notifiedStatus) {

    static State empty(UUID orderId) {
      return new State(
          orderId, null, null, null, null, null, null, null, new JsonObject(), null, null, null);
    }

    static State of(Row r) {
      OffsetDateTime placed = r.getOffsetDateTime("placed_at");
      return new State(
          r.getUUID("order_id"),
          r.getString("customer_id"),
          r.getString("phone"),
          r.getString("store_id"),
          r.getString("store_name"),
          (JsonArray) r.getJson("items"),
          r.getInteger("total"),
          placed == null ? null : placed.toInstant(),
          (JsonObject) r.getJson("facts"),
          r.getInteger("eta_minutes"),
          r.getString("reason"),
          r.getString("notified_status"));
    }

    StatusFacts statusFacts() {
      return new StatusFacts(placedAt, facts);
    }

    State notified(String status) {
      return copy(items, total, facts, etaMinutes, reason, status);
    }

    /** This state with what {@code e} tells about the order. */
    State apply(CloudEvent e) {
      JsonObject d = e.data();
      String fact = StatusFacts.factOf(e.type());
      JsonObject f =
          fact == null || facts.containsKey(fact)
              ? facts
              : facts.copy().put(fact, e.time().toString());
      return switch (e.type()) {
        case "order.placed" ->
            new State(
                orderId,
                d.getString("customerId"),
                d.getJsonObject("deliveryAddress").getString("phone"),
                d.getString("storeId"),
                d.getString("storeName"),
                d.getJsonArray("items"),
                d.getInteger("total"),
                Instant.parse(d.getString("createdAt")),
                f,
                etaMinutes,
                reason,
                notifiedStatus);
        case "order.modified" ->
            copy(
                d.getJsonArray("items"),
                d.getInteger("total"),
                f,
                etaMinutes,
                reason,
                notifiedStatus);
        case "delivery.assigned" ->
            copy(items, total, f, d.getInteger("etaMinutes"), reason, notifiedStatus);
        case "store.order-rejected", "store.cancel-refused" ->
            copy(items, total, f, etaMinutes, d.getString("reason"), notifiedStatus);
        default -> copy(items, total, f, etaMinutes, reason, notifiedStatus);
      };
    }

    /** A copy with what events change after the order is placed. */
    private State copy(
        JsonArray newItems,
        Integer newTotal,
        JsonObject newFacts,
        Integer eta,
        String newReason,
        String notified) {
      return new State(
          orderId,
          customerId,
          phone,
          storeId,
          storeName,
          newItems,
          newTotal,
          placedAt,
          newFacts,
          eta,
          newReason,
          notified);
    }
  }
}
