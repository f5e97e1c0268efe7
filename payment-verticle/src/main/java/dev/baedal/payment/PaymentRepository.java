package dev.baedal.payment;

import dev.baedal.contract.Won;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** SQL of the payment context. */
final class PaymentRepository {
  static final String SCHEMA = "payment_svc";

  private static final String COLUMNS =
      "payment_id, order_id, customer_id, amount, refunded, status, bound, reserved_until";
  private static final String FIND =
      "select " + COLUMNS + " from payment_svc.payments where order_id = $1";
  private static final String FIND_FOR_UPDATE = FIND + " for update";
  private static final String INSERT_PENDING =
      "insert into payment_svc.payments (payment_id, order_id, customer_id, amount, status,"
          + " card_last4, reserved_until) values ($1, $2, $3, $4, 'PENDING', $5, $6)"
          + " on conflict (order_id) do nothing";
  private static final String INSERT_TOMBSTONE =
      "insert into payment_svc.payments (payment_id, order_id, customer_id, amount, status)"
          + " values ($1, $2, $3, 0, 'VOIDED') on conflict (order_id) do nothing";
  private static final String SET_STATUS =
      "update payment_svc.payments set status = $2, reserved_until = $3, updated_at = now()"
          + " where payment_id = $1";
  private static final String BIND =
      "update payment_svc.payments set bound = true, updated_at = now()"
          + " where order_id = $1 and not bound";
  private static final String INSERT_REFUND =
      "insert into payment_svc.refunds (refund_id, payment_id, order_id, amount, reason, refund_key)"
          + " values ($1, $2, $3, $4, $5, $6) on conflict (order_id, refund_key) do nothing";
  private static final String ADD_REFUNDED =
      "update payment_svc.payments set refunded = refunded + $2, updated_at = now()"
          + " where payment_id = $1";
  private static final String ADD_AMOUNT =
      "update payment_svc.payments set amount = amount + $2, updated_at = now()"
          + " where payment_id = $1";
  private static final String INSERT_COMMAND =
      "insert into payment_svc.card_network_commands (command_id, key, amount) values ($1, $2, $3)"
          + " on conflict do nothing";
  private static final String PENDING_COMMANDS =
      "select command_id from payment_svc.card_network_commands where done_at is null"
          + " order by created_at limit 100";

  private static final String ADJUSTMENT_COLUMNS =
      "modification_id, order_id, amount, status, bound, reserved_until";
  private static final String FIND_ADJUSTMENT =
      "select "
          + ADJUSTMENT_COLUMNS
          + " from payment_svc.adjustments where modification_id = $1 for update";
  private static final String INSERT_ADJUSTMENT =
      "insert into payment_svc.adjustments (modification_id, order_id, amount, status,"
          + " reserved_until) values ($1, $2, $3, $4, $5) on conflict (modification_id) do nothing";
  private static final String SET_ADJUSTMENT =
      "update payment_svc.adjustments set status = $2, reserved_until = $3"
          + " where modification_id = $1";
  private static final String BIND_ADJUSTMENT =
      "update payment_svc.adjustments set bound = true where modification_id = $1 and not bound";
  private static final String INSERT_DECLINE =
      "insert into payment_svc.declines (order_id, customer_id, amount, reason) values ($1, $2, $3, $4)";

  // what the reconciler looks at; skip locked: another instance's reconciler may hold some
  private static final String STALE_PENDING =
      "select "
          + COLUMNS
          + " from payment_svc.payments where status = 'PENDING' and updated_at < $1"
          + " order by updated_at limit 100 for update skip locked";
  private static final String UNBOUND_EXPIRED =
      "select "
          + COLUMNS
          + " from payment_svc.payments where not bound and status = 'AUTHORIZED'"
          + " and reserved_until < now() order by reserved_until limit 100";
  private static final String STALE_PENDING_ADJUSTMENTS =
      "select "
          + ADJUSTMENT_COLUMNS
          + " from payment_svc.adjustments where status = 'PENDING' and created_at < $1"
          + " limit 100 for update skip locked";
  private static final String UNBOUND_EXPIRED_ADJUSTMENTS =
      "select "
          + ADJUSTMENT_COLUMNS
          + " from payment_svc.adjustments where not bound and status = 'CHARGED'"
          + " and reserved_until < now() limit 100";

  /** An extra charge for a change of items. */
  record Adjustment(UUID modificationId, UUID orderId, Won amount, Status status, boolean bound) {
    /** Asked of the card network, charged, refused by it, or released (never to be charged). */
    enum Status {
      PENDING,
      CHARGED,
      DECLINED,
      VOIDED
    }

    static Adjustment of(Row r) {
      return new Adjustment(
          r.getUUID("modification_id"),
          r.getUUID("order_id"),
          Won.of(r.getInteger("amount")),
          Status.valueOf(r.getString("status")),
          r.getBoolean("bound"));
    }
  }

  Future<Payment> find(SqlClient db, UUID orderId) {
    return one(db, FIND, Tuple.of(orderId));
  }

  Future<Payment> findForUpdate(SqlClient tx, UUID orderId) {
    return one(tx, FIND_FOR_UPDATE, Tuple.of(orderId));
  }

  /** Records the intent before the card network is asked; false if the order has one already. */
  Future<Boolean> insertPending(
      SqlClient db,
      UUID paymentId,
      UUID orderId,
      String customerId,
      Won amount,
      String last4,
      Instant reservedUntil) {
    return db.preparedQuery(INSERT_PENDING)
        .execute(
            Tuple.of(
                paymentId,
                orderId,
                customerId,
                amount.value(),
                last4,
                reservedUntil.atOffset(ZoneOffset.UTC)))
        .map(rs -> rs.rowCount() == 1);
  }

  Future<Void> insertTombstone(SqlClient tx, UUID orderId, String customerId) {
    return tx.preparedQuery(INSERT_TOMBSTONE)
        .execute(Tuple.of(UUID.randomUUID(), orderId, customerId))
        .mapEmpty();
  }

  Future<Void> setStatus(
      SqlClient tx, UUID paymentId, Payment.Status status, Instant reservedUntil) {
    return tx.preparedQuery(SET_STATUS)
        .execute(
            Tuple.of(
                paymentId,
                status.name(),
                reservedUntil == null ? null : reservedUntil.atOffset(ZoneOffset.UTC)))
        .mapEmpty();
  }

  /** The order of this payment exists: it is never voided as an orphan. */
  Future<Void> bind(SqlClient tx, UUID orderId) {
    return tx.preparedQuery(BIND).execute(Tuple.of(orderId)).mapEmpty();
  }

  /**
   * Records a refund once per (order, key), adds it up and queues it for the card network; false if
   * it was already made.
   */
  Future<Boolean> refund(
      SqlClient tx,
      UUID refundId,
      UUID networkKey,
      Payment p,
      Won amount,
      String reason,
      String key) {
    return tx.preparedQuery(INSERT_REFUND)
        .execute(Tuple.of(refundId, p.paymentId(), p.orderId(), amount.value(), reason, key))
        .compose(
            rs ->
                rs.rowCount() == 0
                    ? Future.succeededFuture(false)
                    : tx.preparedQuery(ADD_REFUNDED)
                        .execute(Tuple.of(p.paymentId(), amount.value()))
                        .compose(
                            v ->
                                tx.preparedQuery(INSERT_COMMAND)
                                    .execute(Tuple.of(refundId, networkKey, amount.value())))
                        .map(true));
  }

  /** Card-network commands not carried out yet, oldest first. */
  Future<List<UUID>> pendingCommands(SqlClient db) {
    return db.preparedQuery(PENDING_COMMANDS)
        .execute()
        .map(
            rs -> {
              List<UUID> out = new ArrayList<>();
              rs.forEach(r -> out.add(r.getUUID(0)));
              return out;
            });
  }

  Future<Void> addAmount(SqlClient tx, UUID paymentId, Won amount) {
    return tx.preparedQuery(ADD_AMOUNT).execute(Tuple.of(paymentId, amount.value())).mapEmpty();
  }

  Future<Adjustment> findAdjustment(SqlClient tx, UUID modificationId) {
    return tx.preparedQuery(FIND_ADJUSTMENT)
        .execute(Tuple.of(modificationId))
        .map(rs -> rs.size() == 0 ? null : Adjustment.of(rs.iterator().next()));
  }

  /** Inserts an adjustment; false if one exists for this modification (or its tombstone). */
  Future<Boolean> insertAdjustment(
      SqlClient tx,
      UUID modificationId,
      UUID orderId,
      Won amount,
      Adjustment.Status status,
      Instant reservedUntil) {
    return tx.preparedQuery(INSERT_ADJUSTMENT)
        .execute(
            Tuple.of(
                modificationId,
                orderId,
                amount.value(),
                status.name(),
                reservedUntil == null ? null : reservedUntil.atOffset(ZoneOffset.UTC)))
        .map(rs -> rs.rowCount() == 1);
  }

  Future<Void> setAdjustment(
      SqlClient tx, UUID modificationId, Adjustment.Status status, Instant reservedUntil) {
    return tx.preparedQuery(SET_ADJUSTMENT)
        .execute(
            Tuple.of(
                modificationId,
                status.name(),
                reservedUntil == null ? null : reservedUntil.atOffset(ZoneOffset.UTC)))
        .mapEmpty();
  }

  Future<Void> bindAdjustment(SqlClient tx, UUID modificationId) {
    return tx.preparedQuery(BIND_ADJUSTMENT).execute(Tuple.of(modificationId)).mapEmpty();
  }

  Future<Void> insertDecline(
      SqlClient db, UUID orderId, String customerId, Won amount, String reason) {
    return db.preparedQuery(INSERT_DECLINE)
        .execute(Tuple.of(orderId, customerId, amount.value(), reason))
        .mapEmpty();
  }

  /** Intents left PENDING since before {@code before}, locked for this reconciler. */
  Future<List<Payment>> stalePending(SqlClient tx, Instant before) {
    return many(tx, STALE_PENDING, Tuple.of(before.atOffset(ZoneOffset.UTC)));
  }

  /** Authorizations never bound whose reservation ran out. */
  Future<List<Payment>> unboundExpired(SqlClient db) {
    return many(db, UNBOUND_EXPIRED, Tuple.tuple());
  }

  Future<List<Adjustment>> stalePendingAdjustments(SqlClient tx, Instant before) {
    return tx.preparedQuery(STALE_PENDING_ADJUSTMENTS)
        .execute(Tuple.of(before.atOffset(ZoneOffset.UTC)))
        .map(PaymentRepository::adjustments);
  }

  Future<List<Adjustment>> unboundExpiredAdjustments(SqlClient db) {
    return db.preparedQuery(UNBOUND_EXPIRED_ADJUSTMENTS)
        .execute()
        .map(PaymentRepository::adjustments);
  }

  private static List<Adjustment> adjustments(RowSet<Row> rs) {
    List<Adjustment> out = new ArrayList<>();
    rs.forEach(r -> out.add(Adjustment.of(r)));
    return out;
  }

  private static Future<Payment> one(SqlClient db, String sql, Tuple args) {
    return db.preparedQuery(sql)
        .execute(args)
        .map(rs -> rs.size() == 0 ? null : Payment.of(rs.iterator().next()));
  }

  private static Future<List<Payment>> many(SqlClient db, String sql, Tuple args) {
    return db.preparedQuery(sql)
        .execute(args)
        .map(
            rs -> {
              List<Payment> out = new ArrayList<>();
              rs.forEach(r -> out.add(Payment.of(r)));
              return out;
            });
  }
}
