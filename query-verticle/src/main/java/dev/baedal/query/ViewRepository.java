package dev.baedal.query;

import dev.baedal.contract.OrderView;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** SQL of the order views, in a schema of the caller's choice (the live one or a rebuild). */
final class ViewRepository {
  static final String SCHEMA = "query_svc";

  private final String find;
  private final String findAll;
  private final String upsert;
  private final String byCustomer;
  private final String byStore;
  private final String byRider;

  ViewRepository(String schema) {
    String table = schema + ".order_views";
    this.find = "select state from " + table + " where order_id = $1";
    this.findAll = "select order_id, state from " + table + " where order_id = any($1) for update";
    this.upsert =
        "insert into "
            + table
            + " (order_id, customer_id, store_id, rider_id, status, state, placed_at, updated_at)"
            + " values ($1, $2, $3, $4, $5, $6, $7, now()) on conflict (order_id) do update set"
            + " customer_id = excluded.customer_id, store_id = excluded.store_id,"
            + " rider_id = excluded.rider_id, status = excluded.status, state = excluded.state,"
            + " placed_at = excluded.placed_at, updated_at = now()";
    String list = "select state from " + table + " where status is not null and ";
    String order = " order by placed_at desc limit 100";
    this.byCustomer = list + "customer_id = $1" + order;
    this.byStore = list + "store_id = $1" + order;
    this.byRider = list + "rider_id = $1" + order;
  }

  /** The states of those of {@code orderIds} that have a view, locked for update. */
  Future<Map<UUID, JsonObject>> findAllForUpdate(SqlClient tx, Collection<UUID> orderIds) {
    return tx.preparedQuery(findAll)
        .execute(Tuple.of(orderIds.toArray(new UUID[0])))
        .map(
            rs -> {
              Map<UUID, JsonObject> out = new HashMap<>();
              for (Row r : rs) {
                out.put(r.getUUID(0), (JsonObject) r.getJson(1));
              }
              return out;
            });
  }

  /** Writes the views in one batch. */
  Future<Void> saveAll(SqlClient tx, Map<UUID, JsonObject> states) {
    if (states.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> rows = new ArrayList<>(states.size());
    states.forEach((id, state) -> rows.add(row(id, state)));
    return tx.preparedQuery(upsert).executeBatch(rows).mapEmpty();
  }

  Future<JsonObject> find(SqlClient db, UUID orderId) {
    return db.preparedQuery(find)
        .execute(Tuple.of(orderId))
        .map(rs -> rs.size() == 0 ? null : (JsonObject) rs.iterator().next().getJson(0));
  }

  private static Tuple row(UUID orderId, JsonObject state) {
    String placed = state.getString("placedAt");
    return Tuple.tuple()
        .addUUID(orderId)
        .addString(state.getString("customerId"))
        .addString(state.getString("storeId"))
        .addString(state.getString("riderId"))
        .addString(OrderView.status(state))
        .addJsonObject(state)
        .addOffsetDateTime(placed == null ? null : OffsetDateTime.parse(placed));
  }

  /** The states of the orders of a customer, store or rider, newest first. */
  Future<List<JsonObject>> list(SqlClient db, String role, String subject) {
    String sql =
        switch (role) {
          case "customer" -> byCustomer;
          case "store" -> byStore;
          case "rider" -> byRider;
          default -> throw new IllegalArgumentException("no role " + role);
        };
    return db.preparedQuery(sql)
        .execute(Tuple.of(subject))
        .map(
            rs -> {
              List<JsonObject> out = new ArrayList<>();
              for (Row r : rs) {
                out.add((JsonObject) r.getJson(0));
              }
              return out;
            });
  }
}
