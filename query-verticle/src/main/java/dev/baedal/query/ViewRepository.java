package dev.baedal.query;

import dev.baedal.contract.OrderProjection;
import dev.baedal.contract.OrderView;
import dev.baedal.platform.db.RowLocks;
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
    // an empty view for each order not stored yet, created before the lock (see RowLocks)
    this.reserve =
        "insert into "
            + table
            + " (order_id, state) select id, '{}' from unnest($1::uuid[]) as id order by id"
            + " on conflict do nothing";
    this.findAll =
        "select order_id, state, version from "
            + table
            + " where order_id = any($1) order by order_id for update";
    // one statement for the whole chunk
    this.update =
        "update "
            + table
            + " v set customer_id = u.customer_id, store_id = u.store_id, rider_id = u.rider_id,"
            + " status = u.status, state = u.state, placed_at = u.placed_at, version = u.version,"
            + " updated_at = now() from unnest($1::uuid[], $2::text[], $3::text[], $4::text[],"
            + " $5::text[], $6::jsonb[], $7::timestamptz[], $8::bigint[])"
            + " as u(order_id, customer_id, store_id, rider_id, status, state, placed_at, version)"
            + " where v.order_id = u.order_id";
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
    return RowLocks.lockOrCreate(tx, findAll, reserve, orderIds)
        .map(
            rows -> {
              Map<UUID, Stored> out = new HashMap<>();
              rows.forEach(
                  (id, r) -> {
                    JsonObject state = (JsonObject) r.getJson(1);
                    out.put(
                        id,
                        new Stored(
                            state.containsKey("orderId")
                                ? state
                                : OrderProjection.empty(id.toString()),
                            r.getLong(2)));
                  });
              return out;
            });
  }

  /** Writes the views in one statement. */
  Future<Void> saveAll(SqlClient tx, Map<UUID, Stored> views) {
    if (views.isEmpty()) {
      return Future.succeededFuture();
    }
    int n = views.size();
    UUID[] ids = new UUID[n];
    String[] customers = new String[n];
    String[] stores = new String[n];
    String[] riders = new String[n];
    String[] statuses = new String[n];
    JsonObject[] states = new JsonObject[n];
    OffsetDateTime[] placed = new OffsetDateTime[n];
    Long[] versions = new Long[n];
    int i = 0;
    for (Map.Entry<UUID, Stored> e : views.entrySet()) {
      JsonObject state = e.getValue().state();
      String placedAt = state.getString("placedAt");
      ids[i] = e.getKey();
      customers[i] = state.getString("customerId");
      stores[i] = state.getString("storeId");
      riders[i] = state.getString("riderId");
      statuses[i] = OrderView.status(state);
      states[i] = state;
      placed[i] = placedAt == null ? null : OffsetDateTime.parse(placedAt);
      versions[i] = e.getValue().version();
      i++;
    }
    return tx.preparedQuery(update)
        .execute(
            Tuple.tuple()
                .addArrayOfUUID(ids)
                .addArrayOfString(customers)
                .addArrayOfString(stores)
                .addArrayOfString(riders)
                .addArrayOfString(statuses)
                .addArrayOfJsonObject(states)
                .addArrayOfOffsetDateTime(placed)
                .addArrayOfLong(versions))
        .mapEmpty();
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
