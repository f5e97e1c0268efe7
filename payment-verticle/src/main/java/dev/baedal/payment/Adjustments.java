package dev.baedal.payment;

import dev.baedal.contract.Won;
import dev.baedal.payment.PaymentRepository.Adjustment;
import dev.baedal.payment.PaymentRepository.Adjustment.Status;
import dev.baedal.platform.Topics;
import dev.baedal.platform.outbox.Outbox;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** Extra charges for a change of items, as intents like a payment. */
final class Adjustments {
  private final Pool pool;
  private final CardNetwork network;
  private final Duration reserve;
  private final PaymentRepository payments;
  private final Outbox outbox;

  Adjustments(
      Pool pool, CardNetwork network, Duration reserve, PaymentRepository payments, Outbox outbox) {
    this.pool = pool;
    this.network = network;
    this.reserve = reserve;
    this.payments = payments;
    this.outbox = outbox;
  }

  /**
   * Charges {@code amount} more for a change of items ({@code {orderId, modificationId, amount}})
   * on the card of the order's payment, as an intent like a payment: recorded first, asked under
   * the modification id, bound once the order records the change, voided if it never does.
   */
  Future<JsonObject> adjust(JsonObject request) {
    UUID orderId = UUID.fromString(request.getString("orderId"));
    UUID modificationId = UUID.fromString(request.getString("modificationId"));
    Won amount = Won.of(request.getInteger("amount"));
    return pool.withTransaction(
            tx ->
                payments
                    .findForUpdate(tx, orderId)
                    .compose(
                        p -> {
                          if (p == null || p.status() != Payment.Status.AUTHORIZED) {
                            throw new PaymentConflict("order " + orderId + " has no payment");
                          }
                          return payments
                              .insertAdjustment(
                                  tx,
                                  modificationId,
                                  orderId,
                                  amount,
                                  Status.PENDING,
                                  Instant.now().plus(reserve))
                              .compose(v -> payments.findAdjustment(tx, modificationId));
                        }))
        .compose(
            a ->
                switch (a.status()) {
                  case PENDING ->
                      network
                          .authorize(modificationId, "card on file", a.amount())
                          .compose(outcome -> settle(a, outcome));
                  case CHARGED ->
                      Future.succeededFuture(new JsonObject().put("status", "AUTHORIZED"));
                  case DECLINED -> Future.succeededFuture(PaymentAnswers.declined());
                  case VOIDED -> Future.failedFuture(new PaymentConflict("this change was voided"));
                });
  }

  /** Records the network's answer for an extra charge. */
  Future<JsonObject> settle(Adjustment adjustment, CardNetwork.Outcome outcome) {
    UUID modificationId = adjustment.modificationId();
    return pool.<JsonObject>withTransaction(
            tx ->
                payments
                    .findForUpdate(tx, adjustment.orderId())
                    .compose(
                        p ->
                            payments
                                .findAdjustment(tx, modificationId)
                                .compose(a -> record(tx, p, a, outcome))))
        .compose(PaymentAnswers::failIfVoided);
  }

  /** {@link #settle}, with the payment and the extra charge locked. */
  private Future<JsonObject> record(
      SqlConnection tx, Payment p, Adjustment a, CardNetwork.Outcome outcome) {
    UUID modificationId = a.modificationId();
    if (a.status() != Status.PENDING) {
      if (a.status() == Status.VOIDED && outcome == CardNetwork.Outcome.APPROVED) {
        return payments
            .refund(
                tx,
                UUID.randomUUID(),
                modificationId,
                p,
                a.amount(),
                "approved after the change was voided",
                "late-approval:" + modificationId)
            .map(made -> PaymentAnswers.VOIDED);
      }
      return Future.succeededFuture(
          a.status() == Status.CHARGED
              ? new JsonObject().put("status", "AUTHORIZED")
              : PaymentAnswers.declined());
    }
    if (outcome == CardNetwork.Outcome.DECLINED) {
      return payments
          .setAdjustment(tx, modificationId, Status.DECLINED, null)
          .map(v -> PaymentAnswers.declined());
    }
    Won total = p.amount().plus(a.amount());
    return payments
        .setAdjustment(tx, modificationId, Status.CHARGED, Instant.now().plus(reserve))
        .compose(v -> payments.addAmount(tx, p.paymentId(), a.amount()))
        .compose(
            v ->
                outbox.append(
                    tx,
                    Topics.PAYMENT_EVENTS,
                    PaymentEvents.adjusted(p, modificationId, a.amount(), total)))
        .map(v -> PaymentAnswers.authorized(p.paymentId(), total));
  }
}
