package dev.baedal.order;

import dev.baedal.order.PaymentClient.Result;
import dev.baedal.platform.Topics;
import dev.baedal.platform.db.AfterCommit;
import dev.baedal.platform.http.ProblemException;
import dev.baedal.platform.outbox.Outbox;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Placing an order: validate, price from the catalogue replica, pay through the breaker, then store
 * the order and its {@code order.placed} event in one transaction. An order exists only if it was
 * paid, and a payment never stays for an order that was not stored.
 */
final class OrderService {
  private static final Logger log = LoggerFactory.getLogger(OrderService.class);

  private final Pool pool;
  private final CatalogReplica catalog;
  private final PaymentClient payments;
  private final Quote.Fees fees;
  private final OrderRepository orders = new OrderRepository();
  private final Outbox outbox;

  /**
   * @param outbox the order context's outbox, which may hand {@code order.placed} over at once (see
   *     {@link dev.baedal.platform.Addresses#ORDER_PLACED})
   */
  OrderService(
      Pool pool, CatalogReplica catalog, PaymentClient payments, Quote.Fees fees, Outbox outbox) {
    this.pool = pool;
    this.catalog = catalog;
    this.payments = payments;
    this.fees = fees;
    this.outbox = outbox;
  }

  /**
   * Handles {@code {customerId, idempotencyKey, body}}; answers {@code {created, order}} where
   * {@code created} is false for a replay of an earlier request.
   */
  Future<JsonObject> place(JsonObject command) {
    String customerId = command.getString("customerId");
    String key = command.getString("idempotencyKey");
    OrderRequest request =
        OrderRequest.parse(command.getJsonObject("body"))
            .withContactPhone(command.getString("contactPhone"));
    String fingerprint = request.fingerprint();
    return orders
        .findByKey(pool, customerId, key)
        .compose(
            existing ->
                existing != null
                    ? Future.succeededFuture(replay(existing, fingerprint))
                    : placeNew(customerId, key, request, fingerprint));
  }

  private Future<JsonObject> placeNew(
      String customerId, String key, OrderRequest request, String fingerprint) {
    // the same customer and key always name the same order, so a retry can never pay twice
    UUID orderId =
        UUID.nameUUIDFromBytes(
            ("order\n" + customerId + "\n" + key).getBytes(StandardCharsets.UTF_8));
    return catalog
        .quote(pool, request.storeId(), request.items(), request.express(), fees)
        .compose(
            quote ->
                payments
                    .authorize(orderId, customerId, quote.total(), request.card())
                    .compose(
                        paid ->
                            afterPayment(
                                paid, orderId, customerId, key, request, fingerprint, quote)));
  }

  private Future<JsonObject> afterPayment(
      Result paid,
      UUID orderId,
      String customerId,
      String key,
      OrderRequest request,
      String fingerprint,
      Quote quote) {
    switch (paid.kind()) {
      case DECLINED:
        throw new ProblemException(402, "Payment Required", "payment declined: " + paid.reason());
      case VOIDED:
        throw abandoned();
      case UNAVAILABLE:
        // an authorization that lands after all is settled by the payment context's reconciler
        throw ProblemException.unavailable(
            "payment is busy, please try again shortly", payments.retryAfterSeconds());
      default:
        break;
    }
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    Order order =
        Order.placed(
            orderId,
            customerId,
            request.storeId(),
            quote,
            request.express(),
            request.deliveryAddress(),
            paid.paymentId(),
            now);
    return store(order, key, fingerprint);
  }

  /**
   * Stores a paid order with its {@code order.placed} event, unless the reconciler found it
   * abandoned first; a concurrent retry that stored it first is answered as a replay.
   */
  private Future<JsonObject> store(Order order, String key, String fingerprint) {
    UUID orderId = order.orderId();
    String customerId = order.customerId();
    return AfterCommit.transaction(
            pool,
            tx ->
                orders
                    .lockId(tx, orderId)
                    .compose(v -> orders.isAbandoned(tx, orderId))
                    .compose(
                        gone -> {
                          if (gone) {
                            throw abandoned();
                          }
                          return orders.insert(tx, order, key, fingerprint);
                        })
                    .compose(
                        inserted ->
                            inserted
                                ? outbox
                                    .append(tx, Topics.ORDER_EVENTS, OrderEvents.placed(order))
                                    .map(v -> created(order))
                                // a concurrent retry stored it first: answer as a replay
                                : orders
                                    .findByKey(tx, customerId, key)
                                    .map(k -> replay(k, fingerprint))))
        .recover(
            err -> {
              if (err instanceof ProblemException) {
                return Future.failedFuture(err);
              }
              // stored or not (a COMMIT whose answer was lost), the payment is settled by the
              // reconciler: bound if the order exists, voided if it does not
              log.warn("order {} could not be stored: {}", orderId, err.toString());
              return Future.failedFuture(
                  ProblemException.unavailable("the order could not be stored, please retry", 1));
            });
  }

  private static ProblemException abandoned() {
    return ProblemException.conflict(
        "an earlier attempt with this Idempotency-Key was abandoned; use a new key");
  }

  /**
   * The payment reconciler asks {@code {orderId[, modificationId]}}: does the order (the change of
   * items) exist? If not, it is recorded as abandoned before the answer, under the same lock that
   * storing it takes, so it never will be: {@code {exists}}.
   */
  Future<JsonObject> abandon(JsonObject question) {
    UUID orderId = ProblemException.parseId("order", question.getString("orderId"));
    String modification = question.getString("modificationId");
    if (modification == null) {
      return pool.withTransaction(
          tx ->
              orders
                  .lockId(tx, orderId)
                  .compose(v -> orders.exists(tx, orderId))
                  .compose(
                      exists ->
                          exists
                              ? Future.succeededFuture(true)
                              : orders.abandon(tx, orderId, "ORDER").map(false))
                  .map(exists -> new JsonObject().put("exists", exists)));
    }
    UUID modificationId = ProblemException.parseId("order", modification);
    return pool.withTransaction(
        tx ->
            orders
                .findForUpdate(tx, orderId)
                .compose(v -> orders.hasModification(tx, modificationId))
                .compose(
                    exists ->
                        exists
                            ? Future.succeededFuture(true)
                            : orders.abandon(tx, modificationId, "MODIFICATION").map(false))
                .map(exists -> new JsonObject().put("exists", exists)));
  }

  private static JsonObject created(Order order) {
    return new JsonObject().put("created", true).put("order", OrderJson.receipt(order));
  }

  private static JsonObject replay(OrderRepository.Keyed existing, String fingerprint) {
    if (!existing.requestHash().equals(fingerprint)) {
      throw new ProblemException(
          422,
          "Unprocessable Content",
          "this Idempotency-Key was already used for a different order",
          Map.of(),
          new JsonObject()
              .put("orderId", existing.order().orderId().toString())
              .put(
                  "errors",
                  new JsonArray()
                      .add(
                          dev.baedal.platform.http.Violation.header(
                                  "Idempotency-Key", "was already used for a different order")
                              .toJson())));
    }
    return new JsonObject().put("created", false).put("order", OrderJson.receipt(existing.order()));
  }
}
