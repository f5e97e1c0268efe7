package dev.baedal.store;

import dev.baedal.contract.Address;
import dev.baedal.contract.Item;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** SQL of the store orders. */
final class StoreOrderRepository {
  private static final String COLUMNS =
      "o.order_id, o.store_id, s.name as store_name, s.name_ko as store_name_ko, o.customer_id,"
          + " o.items, o.total, o.delivery_fee,"
          + " o.express, o.delivery_address, o.status, o.reject_reason, o.thanked, o.placed_at,"
          + " o.updated_at, o.version";
  private static final String FROM =
      " from store_svc.store_orders o join store_svc.stores s on s.store_id = o.store_id";
  private static final String INSERT =
      "insert into store_svc.store_orders (order_id, store_id, customer_id, items, total,"
          + " delivery_fee, express, delivery_address, status, placed_at, updated_at, version)"
          + " values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
          + " on conflict (order_id) do nothing";
  private static final String FIND_FOR_UPDATE =
      "select " + COLUMNS + FROM + " where o.order_id = $1 for update of o";
  private static final String ALL_FOR_UPDATE =
      "select "
          + COLUMNS
          + FROM
          + " where o.order_id = any($1) order by o.order_id for update of o";
  private static final String UPDATE =
      "update store_svc.store_orders set items = $2, total = $3, status = $4, reject_reason = $5,"
          + " thanked = $6, updated_at = $7, version = $8 where order_id = $1";
  private static final String LIST =
      "select "
          + COLUMNS
          + FROM
          + " where o.store_id = $1 and ($2::text is null or o.status = $2)"
          + " order by o.placed_at desc limit 200";
  private static final String OPEN =
      "select "
          + COLUMNS
          + FROM
          + " where o.store_id = $1 and o.status in ('NEW', 'ACCEPTED', 'COOKING', 'COOKED')"
          + " order by o.placed_at desc";
  private static final String STORE_NAMES =
      "select name, name_ko from store_svc.stores where store_id = $1";

  /** A store's names in English and Korean. */
  record StoreNames(String en, String ko) {}

  /** The names of {@code storeId}, or null if there is no such store. */
  Future<StoreNames> storeNames(SqlClient db, String storeId) {
    return db.preparedQuery(STORE_NAMES)
        .execute(Tuple.of(storeId))
        .map(
            rs -> {
              if (rs.size() == 0) {
                return null;
              }
              Row r = rs.iterator().next();
              return new StoreNames(r.getString("name"), r.getString("name_ko"));
            });
  }

  Future<Boolean> insert(SqlClient tx, StoreOrder o) {
    return tx.preparedQuery(INSERT)
        .execute(
            Tuple.tuple()
                .addUUID(o.orderId())
                .addString(o.storeId())
                .addString(o.customerId())
                .addJsonArray(Item.json(o.items()))
                .addInteger(o.total())
                .addInteger(o.deliveryFee())
                .addBoolean(o.express())
                .addJsonObject(o.deliveryAddress().toJson())
                .addString(o.status().name())
                .addOffsetDateTime(o.placedAt().atOffset(ZoneOffset.UTC))
                .addOffsetDateTime(o.updatedAt().atOffset(ZoneOffset.UTC))
                .addLong(o.version()))
        .map(rs -> rs.rowCount() == 1);
  }

  Future<StoreOrder> findForUpdate(SqlClient tx, UUID orderId) {
    return tx.preparedQuery(FIND_FOR_UPDATE)
        .execute(Tuple.of(orderId))
        .map(rs -> rs.size() == 0 ? null : order(rs.iterator().next()));
  }

  /** The store orders of {@code ids} that exist, locked for update. */
  Future<Map<UUID, StoreOrder>> lockAll(SqlClient tx, Collection<UUID> ids) {
    return tx.preparedQuery(ALL_FOR_UPDATE)
        .execute(Tuple.of(ids.toArray(new UUID[0])))
        .map(
            rs -> {
              Map<UUID, StoreOrder> out = new HashMap<>();
              rs.forEach(r -> out.put(r.getUUID("order_id"), order(r)));
              return out;
            });
  }

  Future<Void> update(SqlClient tx, StoreOrder o) {
    return tx.preparedQuery(UPDATE).execute(updateRow(o)).mapEmpty();
  }

  /** Writes the store orders in one batch. */
  Future<Void> updateAll(SqlClient tx, Collection<StoreOrder> orders) {
    return orders.isEmpty()
        ? Future.succeededFuture()
        : tx.preparedQuery(UPDATE)
            .executeBatch(orders.stream().map(StoreOrderRepository::updateRow).toList())
            .mapEmpty();
  }

  private static Tuple updateRow(StoreOrder o) {
    return Tuple.tuple()
        .addUUID(o.orderId())
        .addJsonArray(Item.json(o.items()))
        .addInteger(o.total())
        .addString(o.status().name())
        .addString(o.rejectReason())
        .addBoolean(o.thanked())
        .addOffsetDateTime(o.updatedAt().atOffset(ZoneOffset.UTC))
        .addLong(o.version());
  }

  /** The store's orders it still has work on, newest first. */
  Future<List<StoreOrder>> open(SqlClient db, String storeId) {
    return many(db, OPEN, Tuple.of(storeId));
  }

  Future<List<StoreOrder>> list(SqlClient db, String storeId, String status) {
    return many(db, LIST, Tuple.of(storeId, status));
  }

  private static Future<List<StoreOrder>> many(SqlClient db, String sql, Tuple args) {
    return db.preparedQuery(sql)
        .execute(args)
        .map(
            rs -> {
              List<StoreOrder> out = new ArrayList<>();
              rs.forEach(r -> out.add(order(r)));
              return out;
            });
  }

  private static StoreOrder order(Row r) {
    return new StoreOrder(
        r.getUUID("order_id"),
        r.getString("store_id"),
        r.getString("store_name"),
        r.getString("store_name_ko"),
        r.getString("customer_id"),
        Item.list((JsonArray) r.getJson("items")),
        r.getInteger("total"),
        r.getInteger("delivery_fee"),
        r.getBoolean("express"),
        Address.of((JsonObject) r.getJson("delivery_address")),
        StoreOrder.Status.valueOf(r.getString("status")),
        r.getString("reject_reason"),
        r.getBoolean("thanked"),
        r.getOffsetDateTime("placed_at").toInstant(),
        r.getOffsetDateTime("updated_at").toInstant(),
        r.getLong("version"));
  }
}
