package dev.baedal.payment;

import dev.baedal.payment.PaymentRepository.Payment;
import dev.baedal.platform.Topics;
import dev.baedal.platform.events.CloudEvent;
import dev.baedal.platform.http.ProblemException;
import dev.baedal.platform.outbox.Outbox;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authorizations, extra charges, voids and refunds. One payment per order id: a retried
 * authorization returns the first one, and a void that comes first leaves a tombstone so that a
 * late authorization is refused and never charges for an order that does not exist. Every refund
 * has a key (its cause), so a redelivered event never refunds twice.
 */
final class PaymentService {
  private static final Logger log = LoggerFactory.getLogger(PaymentService.class);

  /** Refund everything not refunded yet. */
  private static final int REMAINING = -1;

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
                          .map(v -> authorized(paymentId, amount));
                    }));
  }

  private JsonObject answer(Payment p) {
    if ("VOIDED".equals(p.status())) {
      throw new ProblemException(409, "Conflict", "the payment for this order was voided");
    }
    return authorized(p.paymentId(), p.amount());
  }

  private static JsonObject authorized(UUID paymentId, int amount) {
    return new JsonObject()
        .put("status", "AUTHORIZED")
        .put("paymentId", paymentId.toString())
        .put("amount", amount);
  }

  /**
   * Charges {@code amount} more for a change of items ({@code {orderId, modificationId, amount}}),
   * on the card of the order's payment; idempotent per modification.
   */
  Future<JsonObject> adjust(JsonObject request) {
    UUID orderId = UUID.fromString(request.getString("orderId"));
    UUID modificationId = UUID.fromString(request.getString("modificationId"));
    int amount = request.getInteger("amount");
    return network
        .authorize("card on file", amount)
        .compose(
            outcome ->
                pool.withTransaction(
                    tx ->
                        payments
                            .findForUpdate(tx, orderId)
                            .compose(
                                p -> {
                                  if (p == null || !"AUTHORIZED".equals(p.status())) {
                                    throw ProblemException.conflict(
                                        "order " + orderId + " has no payment");
                                  }
                                  return payments
                                      .insertAdjustment(
                                          tx, modificationId, orderId, amount, "CHARGED")
                                      .compose(
                                          inserted ->
                                              inserted
                                                  ? charged(tx, p, modificationId, amount)
                                                  : payments
                                                      .findAdjustment(tx, modificationId)
                                                      .map(a -> adjustmentAnswer(p, a)));
                                })));
  }

  private Future<JsonObject> charged(SqlClient tx, Payment p, UUID modificationId, int amount) {
    return payments
        .addAmount(tx, p.paymentId(), amount)
        .compose(
            v ->
                outbox.append(
                    tx,
                    Topics.PAYMENT_EVENTS,
                    PaymentEvents.adjusted(p, modificationId, amount, p.amount() + amount)))
        .map(v -> authorized(p.paymentId(), p.amount() + amount));
  }

  private static JsonObject adjustmentAnswer(Payment p, JsonObject adjustment) {
    if ("VOIDED".equals(adjustment.getString("status"))) {
      throw new ProblemException(409, "Conflict", "this change was voided");
    }
    return authorized(p.paymentId(), p.amount());
  }

  /**
   * Voids what was charged for an order that was not created ({@code {orderId, reason}}), or for a
   * change that did not happen ({@code {orderId, modificationId, reason}}): refunds it if it was
   * charged, else leaves a tombstone that refuses a late charge. Idempotent.
   */
  Future<JsonObject> voidPayment(JsonObject request) {
    UUID orderId = UUID.fromString(request.getString("orderId"));
    String reason = request.getString("reason", "order not created");
    String modification = request.getString("modificationId");
    JsonObject voided = new JsonObject().put("status", "VOIDED");
    if (modification != null) {
      return pool.withTransaction(
              tx -> voidAdjustment(tx, orderId, UUID.fromString(modification), reason))
          .map(voided);
    }
    String customerId = request.getString("customerId", "");
    return pool.withTransaction(
            tx ->
                payments
                    .findForUpdate(tx, orderId)
                    .compose(
                        p -> {
                          if (p == null) {
                            return payments.insertTombstone(tx, orderId, customerId);
                          }
                          if ("VOIDED".equals(p.status())) {
                            return Future.succeededFuture();
                          }
                          log.info(
                              "voiding payment {} of order {}: {}", p.paymentId(), orderId, reason);
                          return refund(tx, p, REMAINING, reason, "void")
                              .compose(v -> payments.markVoided(tx, p.paymentId()));
                        }))
        .map(voided);
  }

  private Future<Void> voidAdjustment(
      SqlClient tx, UUID orderId, UUID modificationId, String reason) {
    return payments
        .insertAdjustment(tx, modificationId, orderId, 0, "VOIDED")
        .compose(
            tombstone ->
                tombstone
                    ? Future.succeededFuture()
                    : payments
                        .findAdjustment(tx, modificationId)
                        .compose(
                            a -> {
                              if (!"CHARGED".equals(a.getString("status"))) {
                                return Future.succeededFuture();
                              }
                              return payments
                                  .voidAdjustment(tx, modificationId)
                                  .compose(v -> payments.findForUpdate(tx, orderId))
                                  .compose(
                                      p ->
                                          refund(
                                              tx,
                                              p,
                                              a.getInteger("amount"),
                                              reason,
                                              "modification-void:" + modificationId));
                            }));
  }

  /** The events that call for a compensation. */
  static final Set<String> COMPENSATIONS =
      Set.of(
          "store.order-rejected",
          "store.cancel-confirmed",
          "store.modification-refused",
          "order.modified");

  /** The compensations of the sagas, from {@code store-events} and {@code order-events}. */
  Future<Void> on(io.vertx.sqlclient.SqlConnection tx, CloudEvent event) {
    UUID orderId = UUID.fromString(event.subject());
    JsonObject data = event.data();
    return switch (event.type()) {
      case "store.order-rejected" ->
          refundOrder(
              tx,
              orderId,
              REMAINING,
              "rejected by the store: " + data.getString("reason"),
              "rejected");
      case "store.cancel-confirmed" ->
          refundOrder(tx, orderId, REMAINING, "cancelled by the customer", "cancelled");
      case "store.modification-refused" ->
          data.getInteger("delta", 0) > 0
              ? voidAdjustment(
                  tx,
                  orderId,
                  UUID.fromString(data.getString("modificationId")),
                  "change refused by the store")
              : Future.succeededFuture();
      case "order.modified" ->
          data.getInteger("delta", 0) < 0
              ? refundOrder(
                  tx,
                  orderId,
                  -data.getInteger("delta"),
                  "order changed to a lower total",
                  "modification:" + data.getString("modificationId"))
              : Future.succeededFuture();
      default -> Future.succeededFuture();
    };
  }

  private Future<Void> refundOrder(
      SqlClient tx, UUID orderId, int amount, String reason, String key) {
    return payments
        .findForUpdate(tx, orderId)
        .compose(
            p -> {
              if (p == null) {
                // not one of ours (another deployment sharing the broker): nothing to refund
                log.debug("no payment for order {}: {} skipped", orderId, key);
                return Future.succeededFuture();
              }
              return refund(tx, p, amount, reason, key);
            });
  }

  /** Refunds {@code amount} ({@link #REMAINING}: all that is left) once per key. */
  private Future<Void> refund(SqlClient tx, Payment p, int amount, String reason, String key) {
    int open = p.amount() - p.refunded();
    int value = amount == REMAINING ? open : Math.min(amount, open);
    if (value <= 0) {
      return Future.succeededFuture();
    }
    UUID refundId = UUID.randomUUID();
    return payments
        .refund(tx, refundId, p, value, reason, key)
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
                            p.refunded() + value,
                            reason))
                    : Future.succeededFuture());
  }
}
