package dev.baedal.rider;

import dev.baedal.contract.Address;
import io.vertx.core.Future;
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

/** SQL of the deliveries. */
final class DeliveryRepository {
  static final String SCHEMA = "rider_svc";

  private static final String COLUMNS =
      "order_id, store_id, store_name, store_lat, store_lng, customer_id, delivery_address, express,"
          + " fee, status, cooked, rider_id, opened_at, updated_at, version, store_name_ko";
  private static final String INSERT =
      "insert into rider_svc.deliveries ("
          + COLUMNS
          + ") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
          + " on conflict (order_id) do nothing";
  private static final String FIND_FOR_UPDATE =
      "select " + COLUMNS + " from rider_svc.deliveries where order_id = $1 for update";
  private static final String ALL_FOR_UPDATE =
      "select "
          + COLUMNS
          + " from rider_svc.deliveries where order_id = any($1) order by order_id for update";
  private static final String OPEN =
      "select "
          + COLUMNS
          + " from rider_svc.deliveries where status = 'OPEN' order by opened_at limit 500";
  private static final String MINE =
      "select "
          + COLUMNS
          + " from rider_svc.deliveries where rider_id = $1"
          + " order by updated_at desc limit 50";
  private static final String ACTIVE =
      "select "
          + COLUMNS
          + " from rider_svc.deliveries where rider_id = $1 and status in ('ASSIGNED', 'PICKED_UP')"
          + " order by updated_at desc";

  private static final String UPDATE =
      "update rider_svc.deliveries set status = $2, cooked = $3, rider_id = $4, updated_at = $5,"
          + " version = $6 where order_id = $1";

  Future<Boolean> insert(SqlClient tx, Delivery d) {
    return tx.preparedQuery(INSERT)
        .execute(
            Tuple.tuple()
                .addUUID(d.orderId())
                .addString(d.storeId())
                .addString(d.storeName())
                .addDouble(d.storeLat())
                .addDouble(d.storeLng())
                .addString(d.customerId())
                .addJsonObject(d.deliveryAddress().toJson())
                .addBoolean(d.express())
                .addInteger(d.fee())
                .addString(d.status().name())
                .addBoolean(d.cooked())
                .addString(d.riderId())
                .addOffsetDateTime(d.openedAt().atOffset(ZoneOffset.UTC))
                .addOffsetDateTime(d.updatedAt().atOffset(ZoneOffset.UTC))
                .addLong(d.version())
                .addString(d.storeNameKo()))
        .map(rs -> rs.rowCount() == 1);
  }

  Future<Delivery> findForUpdate(SqlClient tx, UUID orderId) {
    return one(tx, FIND_FOR_UPDATE, orderId);
  }

  /** The deliveries of {@code ids} that exist, locked for update. */
  Future<Map<UUID, Delivery>> lockAll(SqlClient tx, Collection<UUID> ids) {
    return tx.preparedQuery(ALL_FOR_UPDATE)
        .execute(Tuple.of(ids.toArray(new UUID[0])))
        .map(
            rs -> {
              Map<UUID, Delivery> out = new HashMap<>();
              rs.forEach(r -> out.put(r.getUUID("order_id"), delivery(r)));
              return out;
            });
  }

  Future<Void> update(SqlClient tx, Delivery d) {
    return tx.preparedQuery(UPDATE).execute(updateRow(d)).mapEmpty();
  }

  /** Writes the deliveries in one batch. */
  Future<Void> updateAll(SqlClient tx, Collection<Delivery> all) {
    return all.isEmpty()
        ? Future.succeededFuture()
        : tx.preparedQuery(UPDATE)
            .executeBatch(all.stream().map(DeliveryRepository::updateRow).toList())
            .mapEmpty();
  }

  private static Tuple updateRow(Delivery d) {
    return Tuple.tuple()
        .addUUID(d.orderId())
        .addString(d.status().name())
        .addBoolean(d.cooked())
        .addString(d.riderId())
        .addOffsetDateTime(d.updatedAt().atOffset(ZoneOffset.UTC))
        .addLong(d.version());
  }

  Future<List<Delivery>> open(SqlClient db) {
    return many(db, OPEN, Tuple.tuple());
  }

  Future<List<Delivery>> mine(SqlClient db, String riderId) {
    return many(db, MINE, Tuple.of(riderId));
  }

  /** The rider's deliveries still under way (assigned or picked up). */
  Future<List<Delivery>> active(SqlClient db, String riderId) {
    return many(db, ACTIVE, Tuple.of(riderId));
  }

  private static Future<Delivery> one(SqlClient db, String sql, UUID orderId) {
    return db.preparedQuery(sql)
        .execute(Tuple.of(orderId))
        .map(rs -> rs.size() == 0 ? null : delivery(rs.iterator().next()));
  }

  private static Future<List<Delivery>> many(SqlClient db, String sql, Tuple args) {
    return db.preparedQuery(sql)
        .execute(args)
        .map(
            rs -> {
              List<Delivery> out = new ArrayList<>();
              rs.forEach(r -> out.add(delivery(r)));
              return out;
            });
  }

  private static Delivery delivery(Row r) {
    return new Delivery(
        r.getUUID("order_id"),
        r.getString("store_id"),
        r.getString("store_name"),
        r.getString("store_name_ko"),
        r.getDouble("store_lat"),
        r.getDouble("store_lng"),
        r.getString("customer_id"),
        Address.of((JsonObject) r.getJson("delivery_address")),
        r.getBoolean("express"),
        r.getInteger("fee"),
        Delivery.Status.valueOf(r.getString("status")),
        r.getBoolean("cooked"),
        r.getString("rider_id"),
        r.getOffsetDateTime("opened_at").toInstant(),
        r.getOffsetDateTime("updated_at").toInstant(),
        r.getLong("version"));
  }
}
