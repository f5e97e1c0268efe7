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

  /** A view's projection state and its version (the number of visible changes so far). */
  record Stored(JsonObject state, long version) {}

  private final String find;
  private final String reserve;
  private final String findAll;
  private final String update;
  private final String versions;
  private final String byCustomer;
  private final String byStore;
  private final String byRider;

  ViewRepository(String schema) {
    String table = schema + ".order_views";
    this.find = "select state, version from " + table + " where order_id = $1";
    // a row for every order of a chunk first, so that the lock below covers the new ones too: two
    // projectors (a rebalance, a replay catching up) can never both create a view and one
    // overwrite the other
    this.reserve =
        "insert into "
            + table
            + " (order_id, state) select id, '{}' from unnest($1::uuid[]) as id"
            + " on conflict do nothing";
    this.findAll =
        "select order_id, state, version from " + table + " where order_id = any($1) for update";
    this.update =
        "update "
            + table
            + " set customer_id = $2, store_id = $3, rider_id = $4, status = $5, state = $6,"
            + " placed_at = $7, version = $8, updated_at = now() where order_id = $1";
    this.versions = "select order_id, version from " + table + " where order_id = any($1)";
    String list = "select state from " + table + " where status is not null and ";
    String order = " order by placed_at desc limit 100";
    this.byCustomer = list + "customer_id = $1" + order;
    this.byStore = list + "store_id = $1" + order;
    this.byRider = list + "rider_id = $1" + order;
  }

  /**
   * The views of {@code orderIds}, locked for update; an order nothing was known of gets an empty
   * one.
   */
  Future<Map<UUID, Stored>> lockAll(SqlClient tx, Collection<UUID> orderIds) {
    UUID[] ids = orderIds.toArray(new UUID[0]);
    return tx.preparedQuery(reserve)
        .execute(Tuple.of(ids))
        .compose(v -> tx.preparedQuery(findAll).execute(Tuple.of(ids)))
        .map(
            rs -> {
              Map<UUID, Stored> out = new HashMap<>();
              for (Row r : rs) {
                UUID id = r.getUUID(0);
                JsonObject state = (JsonObject) r.getJson(1);
                out.put(
                    id,
                    new Stored(
                        state.containsKey("orderId") ? state : OrderView.empty(id.toString()),
                        r.getLong(2)));
              }
              return out;
            });
  }

  /** Writes the views in one batch. */
  Future<Void> saveAll(SqlClient tx, Map<UUID, Stored> views) {
    if (views.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> rows = new ArrayList<>(views.size());
    views.forEach((id, stored) -> rows.add(row(id, stored)));
    return tx.preparedQuery(update).executeBatch(rows).mapEmpty();
  }

  Future<Stored> find(SqlClient db, UUID orderId) {
    return db.preparedQuery(find)
        .execute(Tuple.of(orderId))
        .map(
            rs -> {
              if (rs.size() == 0) {
                return null;
              }
              Row r = rs.iterator().next();
              return new Stored((JsonObject) r.getJson(0), r.getLong(1));
            });
  }

  /** The versions of those of {@code orderIds} that have a view. */
  Future<Map<UUID, Long>> versions(SqlClient db, Collection<UUID> orderIds) {
    return db.preparedQuery(versions)
        .execute(Tuple.of(orderIds.toArray(new UUID[0])))
        .map(
            rs -> {
              Map<UUID, Long> out = new HashMap<>();
              rs.forEach(r -> out.put(r.getUUID(0), r.getLong(1)));
              return out;
            });
  }

  private static Tuple row(UUID orderId, Stored stored) {
    JsonObject state = stored.state();
    String placed = state.getString("placedAt");
    return Tuple.tuple()
        .addUUID(orderId)
        .addString(state.getString("customerId"))
        .addString(state.getString("storeId"))
        .addString(state.getString("riderId"))
        .addString(OrderView.status(state))
        .addJsonObject(state)
        .addOffsetDateTime(placed == null ? null : OffsetDateTime.parse(placed))
        .addLong(stored.version());
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
