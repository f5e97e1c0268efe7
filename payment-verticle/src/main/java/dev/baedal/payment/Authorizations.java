package dev.baedal.payment;

import dev.baedal.contract.Won;
import dev.baedal.platform.CardSeal;
import dev.baedal.platform.Topics;
import dev.baedal.platform.http.ProblemException;
import dev.baedal.platform.outbox.Outbox;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Authorizations as durable intents. One payment per order id: the intent is recorded (PENDING)
 * before the card network is asked, with our payment id as the network's idempotency key, so a
 * retry, a concurrent request or a restart after a crash asks again under the same key and is
 * charged once. An authorization stays reserved for a while (the order context stores the order
 * right after), and is bound once {@code order.placed} shows its order exists.
 */
final class Authorizations {
  private final Pool pool;
  private final CardNetwork network;
  private final CardSeal seal;
  private final Duration reserve;
  private final PaymentRepository payments;
  private final Outbox outbox;

  Authorizations(
      Pool pool,
      CardNetwork network,
      CardSeal seal,
      Duration reserve,
      PaymentRepository payments,
      Outbox outbox) {
    this.pool = pool;
    this.network = network;
    this.seal = seal;
    this.reserve = reserve;
    this.payments = payments;
    this.outbox = outbox;
  }

  /**
   * Authorizes {@code amount} for {@code orderId}.
   *
   * @return {@code {"status":"AUTHORIZED","paymentId","amount"}} or {@code
   *     {"status":"DECLINED","reason"}}; fails with 409 for a voided payment, and when the card
   *     network fails (a breaker failure; the intent stays and is settled later)
   */
  Future<JsonObject> authorize(JsonObject request) {
    UUID orderId = UUID.fromString(request.getString("orderId"));
    String customerId = request.getString("customerId");
    Won amount = Won.of(request.getInteger("amount"));
    String card;
    try {
      card = seal.open(request.getJsonObject("card"));
    } catch (IllegalArgumentException | ClassCastException e) {
      return Future.failedFuture(
          ProblemException.badRequest("payment needs a card sealed by the gateway"));
    }
    return payments
        .find(pool, orderId)
        .compose(
            existing -> {
              if (existing != null) {
                return resume(existing, card);
              }
              UUID paymentId = UUID.randomUUID();
              return payments
                  .insertPending(
                      pool,
                      paymentId,
                      orderId,
                      customerId,
                      amount,
                      card.substring(card.length() - 4),
                      Instant.now().plus(reserve))
                  .compose(inserted -> payments.find(pool, orderId).compose(p -> resume(p, card)));
            });
  }

  /** Carries an existing payment on: asks the network again for an intent, answers the rest. */
  private Future<JsonObject> resume(Payment p, String card) {
    return switch (p.status()) {
      case PENDING ->
          network
              .authorize(p.paymentId(), card, p.amount())
              .compose(outcome -> settle(p.orderId(), outcome));
      case AUTHORIZED -> reserved(p.orderId());
      case DECLINED -> Future.succeededFuture(PaymentAnswers.declined());
      case VOIDED -> Future.failedFuture(PaymentAnswers.voided());
    };
  }

  /** A retry of an authorized payment: its order gets another while to appear. */
  private Future<JsonObject> reserved(UUID orderId) {
    return pool.withTransaction(
        tx ->
            payments
                .findForUpdate(tx, orderId)
                .compose(
                    p -> {
                      if (p.status() != Payment.Status.AUTHORIZED) {
                        return PaymentAnswers.resumeSettled(p);
                      }
                      Future<Void> keep =
                          p.bound()
                              ? Future.succeededFuture()
                              : payments.setStatus(
                                  tx, p.paymentId(), p.status(), Instant.now().plus(reserve));
                      return keep.map(v -> PaymentAnswers.authorized(p.paymentId(), p.amount()));
                    }));
  }

  /**
   * Records the network's answer for an intent. If the intent was settled meanwhile (the reconciler
   * found it unanswered and voided it), an approval that came late is reversed.
   */
  Future<JsonObject> settle(UUID orderId, CardNetwork.Outcome outcome) {
    return pool.<JsonObject>withTransaction(
            tx -> payments.findForUpdate(tx, orderId).compose(p -> record(tx, p, outcome)))
        .compose(PaymentAnswers::failIfVoided);
  }

  /** {@link #settle}, with the payment locked. */
  private Future<JsonObject> record(SqlConnection tx, Payment p, CardNetwork.Outcome outcome) {
    if (p.status() != Payment.Status.PENDING) {
      if (p.status() == Payment.Status.VOIDED && outcome == CardNetwork.Outcome.APPROVED) {
        return payments
            .refund(
                tx,
                UUID.randomUUID(),
                p.paymentId(),
                p,
                p.amount(),
                "approved after the payment was voided",
                "late-approval")
            .map(made -> PaymentAnswers.VOIDED);
      }
      return PaymentAnswers.resumeSettled(p);
    }
    if (outcome == CardNetwork.Outcome.DECLINED) {
      return payments
          .setStatus(tx, p.paymentId(), Payment.Status.DECLINED, null)
          .compose(
              v ->
                  payments.insertDecline(
                      tx,
                      p.orderId(),
                      p.customerId(),
                      p.amount(),
                      PaymentAnswers.declined().getString("reason")))
          .map(v -> PaymentAnswers.declined());
    }
    return payments
        .setStatus(tx, p.paymentId(), Payment.Status.AUTHORIZED, Instant.now().plus(reserve))
        .compose(
            v ->
                outbox.append(
                    tx,
                    Topics.PAYMENT_EVENTS,
                    PaymentEvents.authorized(
                        p.paymentId(), p.orderId(), p.customerId(), p.amount())))
        .map(v -> PaymentAnswers.authorized(p.paymentId(), p.amount()));
  }
}
