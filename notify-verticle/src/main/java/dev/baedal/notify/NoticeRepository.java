package dev.baedal.notify;

import dev.baedal.platform.db.RowLocks;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** SQL of the notify context: order states, notifications and the catalogue's Korean names. */
final class NoticeRepository {
  static final String SCHEMA = "notify_svc";

  // an empty state for each order not stored yet, created before the lock (see RowLocks)
  private static final String RESERVE =
      "insert into notify_svc.orders (order_id, state) select id, '{}' from unnest($1::uuid[]) as id"
          + " order by id on conflict do nothing";
  private static final String LOCK =
      "select order_id, state from notify_svc.orders where order_id = any($1)"
          + " order by order_id for update";
  private static final String SAVE =
      "update notify_svc.orders o set state = u.state"
          + " from unnest($1::uuid[], $2::jsonb[]) as u(order_id, state) where o.order_id = u.order_id";
  private static final String INSERT_NOTIFICATIONS =
      "insert into notify_svc.notifications (notification_id, order_id, template, status,"
          + " requested_at) select id, order_id, template, 'requested', at"
          + " from unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[])"
          + " as n(id, order_id, template, at)"
          + " on conflict (notification_id) do nothing returning notification_id";
  private static final String OUTCOME =
      "update notify_svc.notifications n set status = u.status, outcome_at = u.at, error = u.error"
          + " from unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::text[])"
          + " as u(id, status, at, error) where n.notification_id = u.id";
  private static final String UPSERT_NAME =
      "insert into notify_svc.catalog_names (store_id, menu_id, name_ko) values ($1, $2, $3)"
          + " on conflict (store_id, menu_id) do update set name_ko = excluded.name_ko";
  private static final String NAMES =
      "select store_id, menu_id, name_ko from notify_svc.catalog_names where store_id = any($1)";

  /** The states of {@code orderIds}, locked; an order nothing is known of gets an empty one. */
  Future<Map<UUID, OrderNotices>> lockAll(SqlClient tx, Collection<UUID> orderIds) {
    return RowLocks.lockOrCreate(tx, LOCK, RESERVE, orderIds)
        .map(
            rows -> {
              Map<UUID, OrderNotices> out = new HashMap<>();
              rows.forEach((id, r) -> out.put(id, OrderNotices.of((JsonObject) r.getJson(1))));
              return out;
            });
  }

  Future<Void> saveAll(SqlClient tx, Map<UUID, OrderNotices> states) {
    if (states.isEmpty()) {
      return Future.succeededFuture();
    }
    UUID[] ids = new UUID[states.size()];
    JsonObject[] json = new JsonObject[states.size()];
    int i = 0;
    for (Map.Entry<UUID, OrderNotices> e : states.entrySet()) {
      ids[i] = e.getKey();
      json[i++] = e.getValue().toJson();
    }
    return tx.preparedQuery(SAVE)
        .execute(Tuple.tuple().addArrayOfUUID(ids).addArrayOfJsonObject(json))
        .mapEmpty();
  }

  /** A notification to record as requested. */
  record Requested(UUID id, UUID orderId, String template, Instant at) {}

  /** Records them; the ids of those not recorded before. */
  Future<Set<UUID>> insertAll(SqlClient tx, List<Requested> notifications) {
    if (notifications.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    int n = notifications.size();
    UUID[] ids = new UUID[n];
    UUID[] orders = new UUID[n];
    String[] templates = new String[n];
    OffsetDateTime[] at = new OffsetDateTime[n];
    for (int i = 0; i < n; i++) {
      Requested r = notifications.get(i);
      ids[i] = r.id();
      orders[i] = r.orderId();
      templates[i] = r.template();
      at[i] = r.at().atOffset(ZoneOffset.UTC);
    }
    return tx.preparedQuery(INSERT_NOTIFICATIONS)
        .execute(
            Tuple.tuple()
                .addArrayOfUUID(ids)
                .addArrayOfUUID(orders)
                .addArrayOfString(templates)
                .addArrayOfOffsetDateTime(at))
        .map(
            rs -> {
              Set<UUID> fresh = new HashSet<>();
              rs.forEach(r -> fresh.add(r.getUUID(0)));
              return fresh;
            });
  }

  /** A notification's outcome, from the notifier's receipt. */
  record Outcome(UUID id, String status, Instant at, String error) {}

  Future<Void> recordAll(SqlClient tx, List<Outcome> outcomes) {
    if (outcomes.isEmpty()) {
      return Future.succeededFuture();
    }
    int n = outcomes.size();
    UUID[] ids = new UUID[n];
    String[] statuses = new String[n];
    OffsetDateTime[] at = new OffsetDateTime[n];
    String[] errors = new String[n];
    for (int i = 0; i < n; i++) {
      Outcome o = outcomes.get(i);
      ids[i] = o.id();
      statuses[i] = o.status();
      at[i] = o.at().atOffset(ZoneOffset.UTC);
      errors[i] = o.error();
    }
    return tx.preparedQuery(OUTCOME)
        .execute(
            Tuple.tuple()
                .addArrayOfUUID(ids)
                .addArrayOfString(statuses)
                .addArrayOfOffsetDateTime(at)
                .addArrayOfString(errors))
        .mapEmpty();
  }

  /** Keeps the Korean names of a store ({@code menuId} "") and of its menu. */
  Future<Void> saveNames(SqlClient tx, List<Tuple> storeMenuName) {
    return storeMenuName.isEmpty()
        ? Future.succeededFuture()
        : tx.preparedQuery(UPSERT_NAME).executeBatch(storeMenuName).mapEmpty();
  }

  /** Korean names by store, then by menu id (the store's own under ""). */
  Future<Map<String, Map<String, String>>> names(SqlClient tx, Collection<String> storeIds) {
    if (storeIds.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return tx.preparedQuery(NAMES)
        .execute(Tuple.of(storeIds.toArray(new String[0])))
        .map(
            rs -> {
              Map<String, Map<String, String>> out = new HashMap<>();
              rs.forEach(
                  r ->
                      out.computeIfAbsent(r.getString(0), k -> new HashMap<>())
                          .put(r.getString(1), r.getString(2)));
              return out;
            });
  }
}
