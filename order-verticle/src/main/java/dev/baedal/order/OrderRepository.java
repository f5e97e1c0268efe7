package dev.baedal.order;

import dev.baedal.contract.Address;
import dev.baedal.contract.Item;
import dev.baedal.contract.Won;
import dev.baedal.platform.Topics;
import dev.baedal.platform.events.Decision;
import dev.baedal.platform.outbox.Outbox;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** SQL of the order context's orders. */
final class OrderRepository {
  static final String SCHEMA = "order_svc";

  private static final String COLUMNS =
      "order_id, customer_id, store_id, store_name, items, subtotal, delivery_fee, total, express,"
          + " delivery_address, status, payment_id, created_at, updated_at, progress, rider_id,"
          + " reject_reason, cancel_refused_reason, pending_modification, modification_refused_reason,"
          + " store_name_ko";
  private static final String INSERT =
      "insert into order_svc.orders ("
          + COLUMNS
          + ", idempotency_key, request_hash) values"
          + " ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,"
          + " $19, $20, $21, $22, $23)"
          // no arbiter: the order id derives from customer and key, so a concurrent retry may
          // collide on the primary key first, and must also become a replay, not an error
          + " on conflict do nothing";
  private static final String BY_ID =
      "select " + COLUMNS + " from order_svc.orders where order_id = $1";
  private static final String BY_ID_FOR_UPDATE = BY_ID + " for update";
  private static final String ALL_FOR_UPDATE =
      "select "
          + COLUMNS
          + " from order_svc.orders where order_id = any($1) order by order_id for update";
  private static final String UPDATE =
      "update order_svc.orders set items = $2, subtotal = $3, total = $4, status = $5,"
          + " updated_at = $6, progress = $7, rider_id = $8, reject_reason = $9,"
          + " cancel_refused_reason = $10, pending_modification = $11,"
          + " modification_refused_reason = $12 where order_id = $1";
  private static final String BY_KEY =
      "select "
          + COLUMNS
          + ", request_hash from order_svc.orders where customer_id = $1 and idempotency_key = $2";

  // placing an order and abandoning its id take the same lock, so one of them wins cleanly
  private static final String LOCK_ID = "select pg_advisory_xact_lock(hashtextextended($1, 0))";
  private static final String IS_ABANDONED = "select 1 from order_svc.abandoned where id = $1";
  private static final String ABANDON =
      "insert into order_svc.abandoned (id, kind) values ($1, $2) on conflict do nothing";
  private static final String EXISTS = "select 1 from order_svc.orders where order_id = $1";
  private static final String RECORD_MODIFICATION =
      "insert into order_svc.modifications (modification_id, order_id) values ($1, $2)"
          + " on conflict do nothing";
  private static final String HAS_MODIFICATION =
      "select 1 from order_svc.modifications where modification_id = $1";

  private static final String AWAITING_STORE =
      "select order_id from order_svc.orders where updated_at < $1 and (pending_modification is"
          + " not null or (progress ? 'CANCEL_REQUESTED' and not progress ? 'CANCELLED' and not"
          + " progress ? 'CANCEL_REFUSED')) order by updated_at limit 100";

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
                .addJsonArray(Item.json(o.items()))
                .addInteger(o.subtotal().value())
                .addInteger(o.deliveryFee().value())
                .addInteger(o.total().value())
                .addBoolean(o.express())
                .addJsonObject(o.deliveryAddress().toJson())
                .addString(o.status().name())
                .addUUID(o.paymentId())
                .addOffsetDateTime(o.createdAt().atOffset(ZoneOffset.UTC))
                .addOffsetDateTime(o.updatedAt().atOffset(ZoneOffset.UTC))
                .addJsonObject(o.state().facts())
                .addString(o.state().riderId())
                .addString(o.state().rejectReason())
                .addString(o.state().cancelRefusedReason())
                .addJsonObject(pending(o))
                .addString(o.state().modificationRefusedReason())
                .addString(o.storeNameKo())
                .addString(idempotencyKey)
                .addString(requestHash))
        .map(rs -> rs.rowCount() == 1);
  }

  /** Orders whose cancel or change of items has waited for the store since before {@code t}. */
  Future<List<UUID>> awaitingStore(SqlClient db, Instant t) {
    return db.preparedQuery(AWAITING_STORE)
        .execute(Tuple.of(t.atOffset(ZoneOffset.UTC)))
        .map(
            rs -> {
              List<UUID> out = new ArrayList<>();
              rs.forEach(r -> out.add(r.getUUID(0)));
              return out;
            });
  }

  /** Takes the transaction's lock on an order id (placing it, or abandoning it). */
  Future<Void> lockId(SqlClient tx, UUID id) {
    return tx.preparedQuery(LOCK_ID).execute(Tuple.of(id.toString())).mapEmpty();
  }

  Future<Boolean> isAbandoned(SqlClient db, UUID id) {
    return db.preparedQuery(IS_ABANDONED).execute(Tuple.of(id)).map(rs -> rs.size() > 0);
  }

  Future<Void> abandon(SqlClient tx, UUID id, String kind) {
    return tx.preparedQuery(ABANDON).execute(Tuple.of(id, kind)).mapEmpty();
  }

  Future<Boolean> exists(SqlClient db, UUID orderId) {
    return db.preparedQuery(EXISTS).execute(Tuple.of(orderId)).map(rs -> rs.size() > 0);
  }

  Future<Void> recordModification(SqlClient tx, UUID modificationId, UUID orderId) {
    return tx.preparedQuery(RECORD_MODIFICATION)
        .execute(Tuple.of(modificationId, orderId))
        .mapEmpty();
  }

  Future<Boolean> hasModification(SqlClient db, UUID modificationId) {
    return db.preparedQuery(HAS_MODIFICATION)
        .execute(Tuple.of(modificationId))
        .map(rs -> rs.size() > 0);
  }

  Future<Order> find(SqlClient db, UUID orderId) {
    return db.preparedQuery(BY_ID)
        .execute(Tuple.of(orderId))
        .map(rs -> rs.size() == 0 ? null : order(rs.iterator().next()));
  }

  Future<Order> findForUpdate(SqlClient tx, UUID orderId) {
    return tx.preparedQuery(BY_ID_FOR_UPDATE)
        .execute(Tuple.of(orderId))
        .map(rs -> rs.size() == 0 ? null : order(rs.iterator().next()));
  }

  /** The orders of {@code ids} that exist, locked for update. */
  Future<Map<UUID, Order>> lockAll(SqlClient tx, Collection<UUID> ids) {
    return tx.preparedQuery(ALL_FOR_UPDATE)
        .execute(Tuple.of(ids.toArray(new UUID[0])))
        .map(
            rs -> {
              Map<UUID, Order> out = new HashMap<>();
              rs.forEach(r -> out.put(r.getUUID("order_id"), order(r)));
              return out;
            });
  }

  Future<Void> update(SqlClient tx, Order o) {
    return tx.preparedQuery(UPDATE).execute(updateRow(o)).mapEmpty();
  }

  /** Writes the orders in one batch. */
  Future<Void> updateAll(SqlClient tx, Collection<Order> orders) {
    if (orders.isEmpty()) {
      return Future.succeededFuture();
    }
    return tx.preparedQuery(UPDATE)
        .executeBatch(orders.stream().map(OrderRepository::updateRow).toList())
        .mapEmpty();
  }

  private static Tuple updateRow(Order o) {
    return Tuple.tuple()
        .addUUID(o.orderId())
        .addJsonArray(Item.json(o.items()))
        .addInteger(o.subtotal().value())
        .addInteger(o.total().value())
        .addString(o.status().name())
        .addOffsetDateTime(o.updatedAt().atOffset(ZoneOffset.UTC))
        .addJsonObject(o.state().facts())
        .addString(o.state().riderId())
        .addString(o.state().rejectReason())
        .addString(o.state().cancelRefusedReason())
        .addJsonObject(pending(o))
        .addString(o.state().modificationRefusedReason());
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
        r.getString("store_name_ko"),
        Item.list((JsonArray) r.getJson("items")),
        Won.of(r.getInteger("subtotal")),
        Won.of(r.getInteger("delivery_fee")),
        Won.of(r.getInteger("total")),
        r.getBoolean("express"),
        Address.of((JsonObject) r.getJson("delivery_address")),
        r.getUUID("payment_id"),
        r.getOffsetDateTime("created_at").toInstant(),
        r.getOffsetDateTime("updated_at").toInstant(),
        new Progress(
            (JsonObject) r.getJson("progress"),
            r.getString("rider_id"),
            r.getString("reject_reason"),
            r.getString("cancel_refused_reason"),
            pending((JsonObject) r.getJson("pending_modification")),
            r.getString("modification_refused_reason")));
  }

  private static JsonObject pending(Order o) {
    Modification m = o.pendingModification();
    return m == null ? null : m.toJson();
  }

  private static Modification pending(JsonObject json) {
    return json == null ? null : Modification.of(json);
  }

  /** Stores the order {@code d} decided on and appends its events to the outbox. */
  Future<Order> save(SqlConnection tx, Outbox outbox, Decision<Order> d) {
    return update(tx, d.next())
        .compose(v -> outbox.append(tx, Topics.ORDER_EVENTS, d.events()))
        .map(d.next());
  }
}
