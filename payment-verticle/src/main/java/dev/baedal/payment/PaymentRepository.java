package dev.baedal.payment;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/** SQL of the payment context. */
final class PaymentRepository {
  static final String SCHEMA = "payment_svc";

  /** A payment row. */
  record Payment(
      UUID paymentId, UUID orderId, String customerId, int amount, int refunded, String status) {
    static Payment of(Row r) {
      return new Payment(
          r.getUUID("payment_id"),
          r.getUUID("order_id"),
          r.getString("customer_id"),
          r.getInteger("amount"),
          r.getInteger("refunded"),
          r.getString("status"));
    }
  }

  private static final String COLUMNS =
      "payment_id, order_id, customer_id, amount, refunded, status";
  private static final String FIND =
      "select " + COLUMNS + " from payment_svc.payments where order_id = $1";
  private static final String FIND_FOR_UPDATE = FIND + " for update";
  private static final String INSERT_AUTHORIZED =
      "insert into payment_svc.payments (payment_id, order_id, customer_id, amount, status, card_last4)"
          + " values ($1, $2, $3, $4, 'AUTHORIZED', $5) on conflict (order_id) do nothing";
  private static final String INSERT_TOMBSTONE =
      "insert into payment_svc.payments (payment_id, order_id, customer_id, amount, status)"
          + " values ($1, $2, $3, 0, 'VOIDED') on conflict (order_id) do nothing";
  private static final String VOID =
      "update payment_svc.payments set status = 'VOIDED', updated_at = now() where payment_id = $1";
  private static final String INSERT_REFUND =
      "insert into payment_svc.refunds (refund_id, payment_id, order_id, amount, reason, refund_key)"
          + " values ($1, $2, $3, $4, $5, $6) on conflict (order_id, refund_key) do nothing";
  private static final String ADD_REFUNDED =
      "update payment_svc.payments set refunded = refunded + $2, updated_at = now()"
          + " where payment_id = $1";
  private static final String ADD_AMOUNT =
      "update payment_svc.payments set amount = amount + $2, updated_at = now()"
          + " where payment_id = $1";
  private static final String INSERT_ADJUSTMENT =
      "insert into payment_svc.adjustments (modification_id, order_id, amount, status)"
          + " values ($1, $2, $3, $4) on conflict (modification_id) do nothing";
  private static final String FIND_ADJUSTMENT =
      "select amount, status from payment_svc.adjustments where modification_id = $1 for update";
  private static final String VOID_ADJUSTMENT =
      "update payment_svc.adjustments set status = 'VOIDED' where modification_id = $1";
  private static final String INSERT_DECLINE =
      "insert into payment_svc.declines (order_id, customer_id, amount, reason) values ($1, $2, $3, $4)";

  Future<Payment> find(SqlClient db, UUID orderId) {
    return db(db, FIND, Tuple.of(orderId));
  }

  Future<Payment> findForUpdate(SqlClient tx, UUID orderId) {
    return db(tx, FIND_FOR_UPDATE, Tuple.of(orderId));
  }

  /** Inserts an authorization; false if the order already has a payment (or tombstone). */
  Future<Boolean> insertAuthorized(
      SqlClient tx, UUID paymentId, UUID orderId, String customerId, int amount, String last4) {
    return tx.preparedQuery(INSERT_AUTHORIZED)
        .execute(Tuple.of(paymentId, orderId, customerId, amount, last4))
        .map(rs -> rs.rowCount() == 1);
  }

  Future<Void> insertTombstone(SqlClient tx, UUID orderId, String customerId) {
    return tx.preparedQuery(INSERT_TOMBSTONE)
        .execute(Tuple.of(UUID.randomUUID(), orderId, customerId))
        .mapEmpty();
  }

  Future<Void> markVoided(SqlClient tx, UUID paymentId) {
    return tx.preparedQuery(VOID).execute(Tuple.of(paymentId)).mapEmpty();
  }

  /** Records a refund once per (order, key) and adds it up; false if it was already made. */
  Future<Boolean> refund(
      SqlClient tx, UUID refundId, Payment p, int amount, String reason, String key) {
    return tx.preparedQuery(INSERT_REFUND)
        .execute(Tuple.of(refundId, p.paymentId(), p.orderId(), amount, reason, key))
        .compose(
            rs ->
                rs.rowCount() == 0
                    ? Future.succeededFuture(false)
                    : tx.preparedQuery(ADD_REFUNDED)
                        .execute(Tuple.of(p.paymentId(), amount))
                        .map(true));
  }

  /** An adjustment: {amount, status}, or null. Locked. */
  Future<io.vertx.core.json.JsonObject> findAdjustment(SqlClient tx, UUID modificationId) {
    return tx.preparedQuery(FIND_ADJUSTMENT)
        .execute(Tuple.of(modificationId))
        .map(
            rs -> {
              if (rs.size() == 0) {
                return null;
              }
              Row r = rs.iterator().next();
              return new io.vertx.core.json.JsonObject()
                  .put("amount", r.getInteger("amount"))
                  .put("status", r.getString("status"));
            });
  }

  /** Inserts an adjustment; false if one exists for this modification (or its tombstone). */
  Future<Boolean> insertAdjustment(
      SqlClient tx, UUID modificationId, UUID orderId, int amount, String status) {
    return tx.preparedQuery(INSERT_ADJUSTMENT)
        .execute(Tuple.of(modificationId, orderId, amount, status))
        .map(rs -> rs.rowCount() == 1);
  }

  Future<Void> voidAdjustment(SqlClient tx, UUID modificationId) {
    return tx.preparedQuery(VOID_ADJUSTMENT).execute(Tuple.of(modificationId)).mapEmpty();
  }

  Future<Void> addAmount(SqlClient tx, UUID paymentId, int amount) {
    return tx.preparedQuery(ADD_AMOUNT).execute(Tuple.of(paymentId, amount)).mapEmpty();
  }

  Future<Void> insertDecline(
      SqlClient db, UUID orderId, String customerId, int amount, String reason) {
    return db.preparedQuery(INSERT_DECLINE)
        .execute(Tuple.of(orderId, customerId, amount, reason))
        .mapEmpty();
  }

  private static Future<Payment> db(SqlClient db, String sql, Tuple args) {
    return db.preparedQuery(sql).execute(args).map(rs -> first(rs.iterator()));
  }

  private static Payment first(java.util.Iterator<Row> it) {
    return it.hasNext() ? Payment.of(it.next()) : null;
  }
}
