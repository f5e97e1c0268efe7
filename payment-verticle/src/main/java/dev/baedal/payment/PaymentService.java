package dev.baedal.payment;

import dev.baedal.payment.PaymentRepository.Payment;
import dev.baedal.platform.Topics;
import dev.baedal.platform.http.ProblemException;
import dev.baedal.platform.outbox.Outbox;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authorizations and voids. One payment per order id: a retried authorization returns the first
 * one, and a void that comes first leaves a tombstone so that a late authorization is refused and
 * never charges for an order that does not exist.
 */
final class PaymentService {
  private static final Logger log = LoggerFactory.getLogger(PaymentService.class);

  private final Pool pool;
  private final CardNetwork network;
  private final PaymentRepository payments = new PaymentRepository();
  private final Outbox outbox = new Outbox(PaymentRepository.SCHEMA);

  PaymentService(Pool pool, CardNetwork network) {
    this.pool = pool;
    this.network = network;
  }

  /**
   * Authorizes {@code amount} for {@code orderId}.
   *
   * @return {@code {"status":"AUTHORIZED","paymentId","amount"}} or {@code
   *     {"status":"DECLINED","reason"}}; fails when the card network fails (a breaker failure)
   */
  Future<JsonObject> authorize(JsonObject request) {
    UUID orderId = UUID.fromString(request.getString("orderId"));
    String customerId = request.getString("customerId");
    int amount = request.getInteger("amount");
    String card = request.getString("cardNumber");
    return payments
        .find(pool, orderId)
        .compose(
            existing -> {
              if (existing != null) {
                return Future.succeededFuture(answer(existing));
              }
              return network
                  .authorize(card, amount)
                  .compose(
                      outcome ->
                          outcome == CardNetwork.Outcome.DECLINED
                              ? decline(orderId, customerId, amount)
                              : record(orderId, customerId, amount, card));
            });
  }

  private Future<JsonObject> decline(UUID orderId, String customerId, int amount) {
    String reason = "the card issuer declined the payment";
    return payments
        .insertDecline(pool, orderId, customerId, amount, reason)
        .map(v -> new JsonObject().put("status", "DECLINED").put("reason", reason));
  }

  private Future<JsonObject> record(UUID orderId, String customerId, int amount, String card) {
    UUID paymentId = UUID.randomUUID();
    String last4 = card.substring(card.length() - 4);
    return pool.withTransaction(
        tx ->
            payments
                .insertAuthorized(tx, paymentId, orderId, customerId, amount, last4)
                .compose(
                    inserted -> {
                      if (!inserted) {
                        // a concurrent retry or a void got there first: answer with what is there
                        return payments.find(tx, orderId).map(this::answer);
                      }
                      return outbox
                          .append(
                              tx,
                              Topics.PAYMENT_EVENTS,
                              PaymentEvents.authorized(paymentId, orderId, customerId, amount))
                          .map(
                              v ->
                                  new JsonObject()
                                      .put("status", "AUTHORIZED")
                                      .put("paymentId", paymentId.toString())
                                      .put("amount", amount));
                    }));
  }

  private JsonObject answer(Payment p) {
    if ("VOIDED".equals(p.status())) {
      throw new ProblemException(409, "Conflict", "the payment for this order was voided");
    }
    return new JsonObject()
        .put("status", "AUTHORIZED")
        .put("paymentId", p.paymentId().toString())
        .put("amount", p.amount());
  }

  /**
   * Voids the authorization of an order that was not created: refunds it if there is one, else
   * leaves a tombstone. Idempotent.
   */
  Future<JsonObject> voidPayment(JsonObject request) {
    UUID orderId = UUID.fromString(request.getString("orderId"));
    String customerId = request.getString("customerId", "");
    String reason = request.getString("reason", "order not created");
    return pool.withTransaction(
        tx ->
            payments
                .findForUpdate(tx, orderId)
                .compose(
                    p -> {
                      if (p == null) {
                        return payments
                            .insertTombstone(tx, orderId, customerId)
                            .map(v -> new JsonObject().put("status", "VOIDED"));
                      }
                      if ("VOIDED".equals(p.status())) {
                        return Future.succeededFuture(new JsonObject().put("status", "VOIDED"));
                      }
                      UUID refundId = UUID.randomUUID();
                      int open = p.amount() - p.refunded();
                      log.info(
                          "voiding payment {} of order {}: {}", p.paymentId(), orderId, reason);
                      Future<Void> refund =
                          open == 0
                              ? Future.succeededFuture()
                              : payments
                                  .insertRefund(tx, refundId, p.paymentId(), orderId, open, reason)
                                  .compose(
                                      v ->
                                          outbox.append(
                                              tx,
                                              Topics.PAYMENT_EVENTS,
                                              PaymentEvents.refunded(
                                                  refundId,
                                                  p.paymentId(),
                                                  orderId,
                                                  open,
                                                  p.amount(),
                                                  reason)));
                      return refund
                          .compose(v -> payments.markVoided(tx, p.paymentId()))
                          .map(v -> new JsonObject().put("status", "VOIDED"));
                    }));
  }
}
