package dev.baedal.payment;

import dev.baedal.contract.Won;
import dev.baedal.payment.PaymentRepository.Adjustment.Status;
import dev.baedal.platform.Topics;
import dev.baedal.platform.consistency.NotYetException;
import dev.baedal.platform.outbox.Outbox;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refunds and voids. Every refund has a key (its cause), so a redelivered event never refunds
 * twice, and reaches the card network as a durable command.
 */
final class Refunds {
  private static final Logger log = LoggerFactory.getLogger(Refunds.class);

  private final PaymentRepository payments;
  private final Outbox outbox;

  Refunds(PaymentRepository payments, Outbox outbox) {
    this.payments = payments;
    this.outbox = outbox;
  }

  /**
   * Releases the payment of an order that never came to be (the reconciler's verdict): refunds what
   * was charged and marks it VOIDED, or leaves a tombstone.
   */
  Future<Void> voidOrder(SqlClient tx, UUID orderId, String reason) {
    return payments
        .findForUpdate(tx, orderId)
        .compose(
            p -> {
              if (p == null) {
                return payments.insertTombstone(tx, orderId, "");
              }
              if (p.bound() || p.status() == Payment.Status.VOIDED) {
                return Future.succeededFuture();
              }
              log.info("voiding payment {} of order {}: {}", p.paymentId(), orderId, reason);
              Future<Void> refunded =
                  p.status() == Payment.Status.AUTHORIZED
                      ? refund(tx, p, p.open(), reason, "void")
                      : Future.succeededFuture();
              return refunded.compose(
                  v -> payments.setStatus(tx, p.paymentId(), Payment.Status.VOIDED, null));
            });
  }

  /** Releases an extra charge for a change that will not happen. */
  Future<Void> voidAdjustment(SqlClient tx, UUID orderId, UUID modificationId, String reason) {
    return payments
        .insertAdjustment(tx, modificationId, orderId, Won.ZERO, Status.VOIDED, null)
        .compose(
            tombstone ->
                tombstone
                    ? Future.succeededFuture()
                    : payments
                        .findAdjustment(tx, modificationId)
                        .compose(
                            a -> {
                              if (a.status() == Status.CHARGED) {
                                return payments
                                    .setAdjustment(tx, modificationId, Status.VOIDED, null)
                                    .compose(v -> payments.findForUpdate(tx, orderId))
                                    .compose(
                                        p ->
                                            refund(
                                                tx,
                                                p,
                                                a.amount(),
                                                reason,
                                                "modification-void:" + modificationId));
                              }
                              return a.status() == Status.PENDING
                                  ? payments.setAdjustment(tx, modificationId, Status.VOIDED, null)
                                  : Future.succeededFuture();
                            }));
  }

  /** Refunds all that is still charged of the order's payment, once per key. */
  Future<Void> refundOrder(SqlClient tx, UUID orderId, String reason, String key) {
    return refundOrder(tx, orderId, Payment::open, reason, key);
  }

  /** Refunds {@code amount} of the order's payment, once per key. */
  Future<Void> refundOrder(SqlClient tx, UUID orderId, Won amount, String reason, String key) {
    return refundOrder(tx, orderId, p -> amount, reason, key);
  }

  private Future<Void> refundOrder(
      SqlClient tx, UUID orderId, Function<Payment, Won> amount, String reason, String key) {
    return payments
        .findForUpdate(tx, orderId)
        .compose(
            p -> {
              if (p == null) {
                // an order is paid before anyone can reject or cancel it: not known yet, or lost;
                // the consumer waits a while, then dead-letters the event
                throw NotYetException.notFound("there is no payment for order " + orderId);
              }
              return refund(tx, p, amount.apply(p), reason, key);
            });
  }

  /** Refunds {@code amount}, or what is still charged if that is less, once per key. */
  private Future<Void> refund(SqlClient tx, Payment p, Won amount, String reason, String key) {
    Won value = p.refundable(amount);
    if (!value.isPositive()) {
      return Future.succeededFuture();
    }
    UUID refundId = UUID.randomUUID();
    return payments
        .refund(tx, refundId, p.paymentId(), p, value, reason, key)
        .compose(
            made ->
                made
                    ? outbox.append(
                        tx,
                        Topics.PAYMENT_EVENTS,
                        PaymentEvents.refunded(
                            refundId,
                            p.paymentId(),
                            p.orderId(),
                            value,
                            p.refunded().plus(value),
                            reason))
                    : Future.succeededFuture());
  }
}
