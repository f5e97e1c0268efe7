package dev.baedal.order;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.ZoneOffset;
import java.util.UUID;

/** SQL of the order context's orders. */
final class OrderRepository {
  static final String SCHEMA = "order_svc";

  private static final String COLUMNS =
      "order_id, customer_id, store_id, store_name, items, subtotal, delivery_fee, total, express,"
          + " delivery_address, status, payment_id, created_at, updated_at";
  private static final String INSERT =
      "insert into order_svc.orders ("
          + COLUMNS
          + ", idempotency_key, request_hash) values"
          + " ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
          + " on conflict (customer_id, idempotency_key) do nothing";
  private static final String BY_ID =
      "select " + COLUMNS + " from order_svc.orders where order_id = $1";
  private static final String BY_KEY =
      "select "
          + COLUMNS
          + ", request_hash from order_svc.orders where customer_id = $1 and idempotency_key = $2";

  /** An order found by its idempotency key, with the fingerprint of the request that made it. */
  record Keyed(Order order, String requestHash) {}

  /** Inserts; false when the customer already has an order under this idempotency key. */
  Future<Boolean> insert(SqlClient tx, Order o, String idempotencyKey, String requestHash) {
    return tx.preparedQuery(INSERT)
        .execute(
            Tuple.tuple()
                .addUUID(o.orderId())
                .addString(o.customerId())
                .addString(o.storeId())
                .addString(o.storeName())
                .addJsonArray(o.items())
                .addInteger(o.subtotal())
                .addInteger(o.deliveryFee())
                .addInteger(o.total())
                .addBoolean(o.express())
                .addJsonObject(o.deliveryAddress())
                .addString(o.status().name())
                .addUUID(o.paymentId())
                .addOffsetDateTime(o.createdAt().atOffset(ZoneOffset.UTC))
                .addOffsetDateTime(o.updatedAt().atOffset(ZoneOffset.UTC))
                .addString(idempotencyKey)
                .addString(requestHash))
        .map(rs -> rs.rowCount() == 1);
  }

  Future<Order> find(SqlClient db, UUID orderId) {
    return db.preparedQuery(BY_ID)
        .execute(Tuple.of(orderId))
        .map(rs -> rs.size() == 0 ? null : order(rs.iterator().next()));
  }

  Future<Keyed> findByKey(SqlClient db, String customerId, String idempotencyKey) {
    return db.preparedQuery(BY_KEY)
        .execute(Tuple.of(customerId, idempotencyKey))
        .map(
            rs -> {
              if (rs.size() == 0) {
                return null;
              }
              Row r = rs.iterator().next();
              return new Keyed(order(r), r.getString("request_hash"));
            });
  }

  private static Order order(Row r) {
    return new Order(
        r.getUUID("order_id"),
        r.getString("customer_id"),
        r.getString("store_id"),
        r.getString("store_name"),
        (JsonArray) r.getJson("items"),
        r.getInteger("subtotal"),
        r.getInteger("delivery_fee"),
        r.getInteger("total"),
        r.getBoolean("express"),
        (JsonObject) r.getJson("delivery_address"),
        OrderStatus.valueOf(r.getString("status")),
        r.getUUID("payment_id"),
        r.getOffsetDateTime("created_at").toInstant(),
        r.getOffsetDateTime("updated_at").toInstant());
  }
}
