package dev.baedal.payment;

import dev.baedal.contract.EventType;
import dev.baedal.payment.PaymentRepository.Adjustment;
import dev.baedal.platform.CardSeal;
import dev.baedal.platform.Topics;
import dev.baedal.platform.consistency.NotYetException;
import dev.baedal.platform.events.CloudEvent;
import dev.baedal.platform.http.ProblemException;
import dev.baedal.platform.outbox.Outbox;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authorizations, extra charges and refunds, as durable intents. One payment per order id: the
 * intent is recorded (PENDING) before the card network is asked, with our payment id as the
 * network's idempotency key, so a retry, a concurrent request or a restart after a crash asks again
 * under the same key and is charged once. An authorization stays reserved for a while (the order
 * context stores the order right after), and is bound once {@code order.placed} shows its order
 * exists; the {@link Reconciler} settles intents left PENDING and voids authorizations that were
 * never bound. Every refund has a key (its cause), so a redelivered event never refunds twice, and
 * reaches the card network as a durable command.
 */
final class PaymentService {
  private static final Logger log = LoggerFactory.getLogger(PaymentService.class);

  /** Refund everything not refunded yet. */
  static final int REMAINING = -1;

  /** The events this context acts on: bindings and the sagas' compensations. */
  static final Set<String> HANDLES =
      EventType.wires(
          EventType.ORDER_PLACED,
          EventType.ORDER_MODIFICATION_REQUESTED,
          EventType.STORE_ORDER_REJECTED,
          EventType.STORE_CANCEL_CONFIRMED,
          EventType.STORE_MODIFICATION_REFUSED,
          EventType.ORDER_MODIFIED);

  private final Pool pool;
  private final CardNetwork network;
  private final CardSeal seal;
  private final Duration reserve;
  private final PaymentRepository payments = new PaymentRepository();
  private final Outbox outbox = new Outbox(PaymentRepository.SCHEMA);

  PaymentService(Pool pool, CardNetwork network, CardSeal seal, Duration reserve) {
    this.seal = seal;
    this.pool = pool;
    this.network = network;
    this.reserve = reserve;
  }

  CardNetwork network() {
    return network;
  }

  PaymentRepository repository() {
    return payments;
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
    int amount = request.getInteger("amount");
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
      case DECLINED -> Future.succeededFuture(declined());
      case VOIDED ->
          Future.failedFuture(
              new ProblemException(409, "Conflict", "the payment for this order was voided"));
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
                        return resumeSettled(p);
                      }
                      Future<Void> keep =
                          p.bound()
                              ? Future.succeededFuture()
                              : payments.setStatus(
                                  tx, p.paymentId(), p.status(), Instant.now().plus(reserve));
                      return keep.map(v -> authorized(p.paymentId(), p.amount()));
                    }));
  }

  /**
   * Records the network's answer for an intent. If the intent was settled meanwhile (the reconciler
   * found it unanswered and voided it), an approval that came late is reversed.
   */
  Future<JsonObject> settle(UUID orderId, CardNetwork.Outcome outcome) {
    return pool.<JsonObject>withTransaction(
            tx ->
                payments
                    .findForUpdate(tx, orderId)
                    .compose(
                        p -> {
                          if (p.status() != Payment.Status.PENDING) {
                            if (p.status() == Payment.Status.VOIDED
                                && outcome == CardNetwork.Outcome.APPROVED) {
                              return payments
                                  .refund(
                                      tx,
                                      UUID.randomUUID(),
                                      p.paymentId(),
                                      p,
                                      p.amount(),
                                      "approved after the payment was voided",
                                      "late-approval")
                                  .map(made -> VOIDED_ANSWER);
                            }
                            return resumeSettled(p);
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
                                            declined().getString("reason")))
                                .map(v -> declined());
                          }
                          return payments
                              .setStatus(
                                  tx,
                                  p.paymentId(),
                                  Payment.Status.AUTHORIZED,
                                  Instant.now().plus(reserve))
                              .compose(
                                  v ->
                                      outbox.append(
                                          tx,
                                          Topics.PAYMENT_EVENTS,
                                          PaymentEvents.authorized(
                                              p.paymentId(),
                                              p.orderId(),
                                              p.customerId(),
                                              p.amount())))
                              .map(v -> authorized(p.paymentId(), p.amount()));
                        }))
        .compose(PaymentService::failIfVoided);
  }

  /** What a settlement answers when the intent was voided first: a 409 once committed. */
  private static final JsonObject VOIDED_ANSWER = new JsonObject().put("status", "VOIDED");

  private static Future<JsonObject> failIfVoided(JsonObject answer) {
    return answer == VOIDED_ANSWER ? Future.failedFuture(voided()) : Future.succeededFuture(answer);
  }

  private static Future<JsonObject> resumeSettled(Payment p) {
    return switch (p.status()) {
      case AUTHORIZED -> Future.succeededFuture(authorized(p.paymentId(), p.amount()));
      case DECLINED -> Future.succeededFuture(declined());
      default -> Future.failedFuture(voided());
    };
  }

  private static ProblemException voided() {
    return new ProblemException(409, "Conflict", "the payment for this order was voided");
  }

  private static JsonObject declined() {
    return new JsonObject()
        .put("status", "DECLINED")
        .put("reason", "the card issuer declined the payment");
  }

  private static JsonObject authorized(UUID paymentId, int amount) {
    return new JsonObject()
        .put("status", "AUTHORIZED")
        .put("paymentId", paymentId.toString())
        .put("amount", amount);
  }

  /**
   * Charges {@code amount} more for a change of items ({@code {orderId, modificationId, amount}})
   * on the card of the order's payment, as an intent like a payment: recorded first, asked under
   * the modification id, bound once the order records the change, voided if it never does.
   */
  Future<JsonObject> adjust(JsonObject request) {
    UUID orderId = UUID.fromString(request.getString("orderId"));
    UUID modificationId = UUID.fromString(request.getString("modificationId"));
    int amount = request.getInteger("amount");
    return pool.withTransaction(
            tx ->
                payments
                    .findForUpdate(tx, orderId)
                    .compose(
                        p -> {
                          if (p == null || p.status() != Payment.Status.AUTHORIZED) {
                            throw ProblemException.conflict("order " + orderId + " has no payment");
                          }
                          return payments
                              .insertAdjustment(
                                  tx,
                                  modificationId,
                                  orderId,
                                  amount,
                                  "PENDING",
                                  Instant.now().plus(reserve))
                              .compose(v -> payments.findAdjustment(tx, modificationId));
                        }))
        .compose(
            a ->
                switch (a.status()) {
                  case "PENDING" ->
                      network
                          .authorize(modificationId, "card on file", a.amount())
                          .compose(outcome -> settleAdjustment(a, outcome));
                  case "CHARGED" ->
                      Future.succeededFuture(new JsonObject().put("status", "AUTHORIZED"));
                  case "DECLINED" -> Future.succeededFuture(declined());
                  default ->
                      Future.failedFuture(
                          new ProblemException(409, "Conflict", "this change was voided"));
                });
  }

  /** Records the network's answer for an extra charge. */
  Future<JsonObject> settleAdjustment(Adjustment adjustment, CardNetwork.Outcome outcome) {
    UUID modificationId = adjustment.modificationId();
    return pool.<JsonObject>withTransaction(
            tx ->
                payments
                    .findForUpdate(tx, adjustment.orderId())
                    .compose(
                        p ->
                            payments
                                .findAdjustment(tx, modificationId)
                                .compose(
                                    a -> {
                                      if (!"PENDING".equals(a.status())) {
                                        if ("VOIDED".equals(a.status())
                                            && outcome == CardNetwork.Outcome.APPROVED) {
                                          return payments
                                              .refund(
                                                  tx,
                                                  UUID.randomUUID(),
                                                  modificationId,
                                                  p,
                                                  a.amount(),
                                                  "approved after the change was voided",
                                                  "late-approval:" + modificationId)
                                              .map(made -> VOIDED_ANSWER);
                                        }
                                        return Future.succeededFuture(
                                            "CHARGED".equals(a.status())
                                                ? new JsonObject().put("status", "AUTHORIZED")
                                                : declined());
                                      }
                                      if (outcome == CardNetwork.Outcome.DECLINED) {
                                        return payments
                                            .setAdjustment(tx, modificationId, "DECLINED", null)
                                            .map(v -> declined());
                                      }
                                      return payments
                                          .setAdjustment(
                                              tx,
                                              modificationId,
                                              "CHARGED",
                                              Instant.now().plus(reserve))
                                          .compose(
                                              v ->
                                                  payments.addAmount(tx, p.paymentId(), a.amount()))
                                          .compose(
                                              v ->
                                                  outbox.append(
                                                      tx,
                                                      Topics.PAYMENT_EVENTS,
                                                      PaymentEvents.adjusted(
                                                          p,
                                                          modificationId,
                                                          a.amount(),
                                                          p.amount() + a.amount())))
                                          .map(
                                              v ->
                                                  authorized(
                                                      p.paymentId(), p.amount() + a.amount()));
                                    })))
        .compose(PaymentService::failIfVoided);
  }

  /** Bindings and the sagas' compensations, from {@code order-events} and {@code store-events}. */
  Future<Void> on(SqlConnection tx, CloudEvent event) {
    UUID orderId = UUID.fromString(event.subject());
    JsonObject data = event.data();
    return switch (EventType.of(event)) {
      case ORDER_PLACED -> payments.bind(tx, orderId);
      case ORDER_MODIFICATION_REQUESTED ->
          payments.bindAdjustment(tx, UUID.fromString(data.getString("modificationId")));
      case STORE_ORDER_REJECTED ->
          refundOrder(
              tx,
              orderId,
              REMAINING,
              "rejected by the store: " + data.getString("reason"),
              "rejected");
      case STORE_CANCEL_CONFIRMED ->
          refundOrder(tx, orderId, REMAINING, "cancelled by the customer", "cancelled");
      case STORE_MODIFICATION_REFUSED ->
          data.getInteger("delta", 0) > 0
              ? voidAdjustment(
                  tx,
                  orderId,
                  UUID.fromString(data.getString("modificationId")),
                  "change refused by the store")
              : Future.succeededFuture();
      case ORDER_MODIFIED ->
          data.getInteger("delta", 0) < 0
              ? refundOrder(
                  tx,
                  orderId,
                  -data.getInteger("delta"),
                  "order changed to a lower total",
                  "modification:" + data.getString("modificationId"))
              : Future.succeededFuture();
      case ORDER_CANCEL_REQUESTED,
          ORDER_CANCELLED,
          ORDER_COMPLETED,
          PAYMENT_AUTHORIZED,
          PAYMENT_ADJUSTED,
          PAYMENT_REFUNDED,
          STORE_ORDER_ACCEPTED,
          STORE_COOKING_STARTED,
          STORE_COOKING_FINISHED,
          STORE_CANCEL_REFUSED,
          STORE_MODIFICATION_CONFIRMED,
          STORE_THANKS_SENT,
          DELIVERY_OPENED,
          DELIVERY_ASSIGNED,
          DELIVERY_PICKED_UP,
          DELIVERY_DELIVERED,
          DELIVERY_WITHDRAWN,
          CATALOG_STORE_UPDATED,
          NOTIFICATION_REQUESTED,
          NOTIFICATION_SENT,
          NOTIFICATION_FAILED ->
          Future.succeededFuture(); // not in HANDLES: never handed to this consumer
    };
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
                      ? refund(tx, p, REMAINING, reason, "void")
                      : Future.succeededFuture();
              return refunded.compose(
                  v -> payments.setStatus(tx, p.paymentId(), Payment.Status.VOIDED, null));
            });
  }

  /** Releases an extra charge for a change that will not happen. */
  Future<Void> voidAdjustment(SqlClient tx, UUID orderId, UUID modificationId, String reason) {
    return payments
        .insertAdjustment(tx, modificationId, orderId, 0, "VOIDED", null)
        .compose(
            tombstone ->
                tombstone
                    ? Future.succeededFuture()
                    : payments
                        .findAdjustment(tx, modificationId)
                        .compose(
                            a -> {
                              if ("CHARGED".equals(a.status())) {
                                return payments
                                    .setAdjustment(tx, modificationId, "VOIDED", null)
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
                              return "PENDING".equals(a.status())
                                  ? payments.setAdjustment(tx, modificationId, "VOIDED", null)
                                  : Future.succeededFuture();
                            }));
  }

  private Future<Void> refundOrder(
      SqlClient tx, UUID orderId, int amount, String reason, String key) {
    return payments
        .findForUpdate(tx, orderId)
        .compose(
            p -> {
              if (p == null) {
                // an order is paid before anyone can reject or cancel it: not known yet, or lost;
                // the consumer waits a while, then dead-letters the event
                throw NotYetException.notFound("there is no payment for order " + orderId);
              }
              return refund(tx, p, amount, reason, key);
            });
  }

  /** Refunds {@code amount} ({@link #REMAINING}: all that is left) once per key. */
  private Future<Void> refund(SqlClient tx, Payment p, int amount, String reason, String key) {
    int value = amount == REMAINING ? p.open() : Math.min(amount, p.open());
    if (value <= 0) {
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
                            p.refunded() + value,
                            reason))
                    : Future.succeededFuture());
  }
}
