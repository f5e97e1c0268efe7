package dev.baedal.order;

import dev.baedal.contract.EventType;
import dev.baedal.order.PaymentClient.Result;
import dev.baedal.platform.Topics;
import dev.baedal.platform.consistency.CatchUp;
import dev.baedal.platform.consistency.NotYetException;
import dev.baedal.platform.events.CloudEvent;
import dev.baedal.platform.events.Decision;
import dev.baedal.platform.http.ProblemException;
import dev.baedal.platform.kafka.IdempotentConsumer;
import dev.baedal.platform.outbox.Outbox;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Placing an order: validate, price from the catalogue replica, pay through the breaker, then store
 * the order and its {@code order.placed} event in one transaction. An order exists only if it was
 * paid, and a payment never stays for an order that was not stored.
 */
final class OrderService {
  private static final Logger log = LoggerFactory.getLogger(OrderService.class);

  /** The events of {@code store-events} and {@code delivery-events} that move an order on. */
  static final Set<String> PROGRESS =
      EventType.wires(
          EventType.STORE_ORDER_ACCEPTED,
          EventType.STORE_ORDER_REJECTED,
          EventType.STORE_COOKING_STARTED,
          EventType.STORE_COOKING_FINISHED,
          EventType.STORE_CANCEL_CONFIRMED,
          EventType.STORE_CANCEL_REFUSED,
          EventType.STORE_MODIFICATION_CONFIRMED,
          EventType.STORE_MODIFICATION_REFUSED,
          EventType.DELIVERY_ASSIGNED,
          EventType.DELIVERY_PICKED_UP,
          EventType.DELIVERY_DELIVERED);

  private final Pool pool;
  private final CatalogReplica catalog;
  private final PaymentClient payments;
  private final Quote.Fees fees;
  private final CatchUp catchUp;
  private final long catchUpMs;
  private final OrderRepository orders = new OrderRepository();
  private final Outbox outbox = new Outbox(OrderRepository.SCHEMA);

  OrderService(
      Pool pool,
      CatalogReplica catalog,
      PaymentClient payments,
      Quote.Fees fees,
      CatchUp catchUp,
      long catchUpMs) {
    this.pool = pool;
    this.catalog = catalog;
    this.payments = payments;
    this.fees = fees;
    this.catchUp = catchUp;
    this.catchUpMs = catchUpMs;
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
            request.addressJson(),
            paid.paymentId(),
            now);
    return pool.withTransaction(
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

  /** {@code {orderId, customerId}}: asks to cancel; the store decides. */
  Future<JsonObject> cancel(JsonObject command) {
    return change(
        command,
        order -> order.requestCancel(Instant.now()),
        order ->
            new JsonObject()
                .put("orderId", order.orderId().toString())
                .put("status", order.status().name()));
  }

  /**
   * {@code {orderId, customerId}}: the customer received the food. A customer acts on what the read
   * side showed, which may be ahead of this context: an order not yet known here to be delivered is
   * waited for a moment (see {@link CatchUp}).
   */
  Future<JsonObject> confirm(JsonObject command) {
    return catchUp.retry(
        String.valueOf(command.getString("orderId")),
        catchUpMs,
        // the order's refusals are problems here already: CatchUp waits on a NotYetException
        () ->
            OrderProblems.mapped(
                change(command, order -> order.confirm(Instant.now()), OrderJson::of)));
  }

  /**
   * {@code {orderId, customerId, body: {items}}}: reprices the new items; a higher total is charged
   * first (through the breaker), then the store decides; a lower one is refunded once the change is
   * confirmed.
   */
  Future<JsonObject> modify(JsonObject command) {
    UUID orderId = ProblemException.parseId("order", command.getString("orderId"));
    JsonObject body = command.getJsonObject("body");
    List<OrderRequest.Line> lines =
        OrderRequest.lines(body == null ? null : body.getValue("items"), "items");
    UUID modificationId = UUID.randomUUID();
    return orders
        .find(pool, orderId)
        .compose(
            found -> {
              Order order = owned(found, orderId, command);
              order.checkModifiable();
              return catalog
                  .quote(pool, order.storeId(), lines, order.express(), fees)
                  // an extra charge that the change does not record after all (a crash, a
                  // refusal) is voided by the payment context's reconciler
                  .compose(
                      quote ->
                          chargeDifference(order, modificationId, quote)
                              .compose(v -> record(command, modificationId, quote)));
            });
  }

  private Future<JsonObject> record(JsonObject command, UUID modificationId, Quote quote) {
    return change(
        command,
        (tx, order) ->
            orders
                .isAbandoned(tx, modificationId)
                .compose(
                    gone -> {
                      if (gone) {
                        throw ProblemException.conflict(
                            "the change was abandoned; please ask for it again");
                      }
                      return orders.recordModification(tx, modificationId, order.orderId());
                    })
                .map(v -> order.requestModification(modificationId, quote, Instant.now())),
        order ->
            new JsonObject()
                .put("orderId", order.orderId().toString())
                .put("status", order.status().name())
                .put("modificationId", modificationId.toString())
                .put("total", quote.total())
                .put("delta", order.pendingModification().getInteger("delta")));
  }

  private Future<Void> chargeDifference(Order order, UUID modificationId, Quote quote) {
    int delta = quote.total() - order.total();
    if (delta <= 0) {
      return Future.succeededFuture();
    }
    return payments
        .adjust(order.orderId(), modificationId, delta)
        .compose(
            paid ->
                switch (paid.kind()) {
                  case AUTHORIZED -> Future.succeededFuture();
                  case DECLINED ->
                      Future.failedFuture(
                          new ProblemException(
                              402, "Payment Required", "payment declined: " + paid.reason()));
                  case VOIDED ->
                      Future.failedFuture(ProblemException.conflict("the change was abandoned"));
                  case UNAVAILABLE -> {
                    yield Future.failedFuture(
                        ProblemException.unavailable(
                            "payment is busy, please try again shortly",
                            payments.retryAfterSeconds()));
                  }
                });
  }

  /** Locks the customer's order, applies a command and stores the result with its events. */
  private Future<JsonObject> change(
      JsonObject command,
      Function<Order, Decision<Order>> decide,
      Function<Order, JsonObject> answer) {
    return change(command, (tx, order) -> Future.succeededFuture(decide.apply(order)), answer);
  }

  /** The same with a decision that may read more in the transaction. */
  private Future<JsonObject> change(
      JsonObject command,
      BiFunction<SqlConnection, Order, Future<Decision<Order>>> decide,
      Function<Order, JsonObject> answer) {
    UUID orderId = ProblemException.parseId("order", command.getString("orderId"));
    return pool.withTransaction(
        tx ->
            orders
                .findForUpdate(tx, orderId)
                .compose(found -> decide.apply(tx, owned(found, orderId, command)))
                .compose(d -> save(tx, d))
                .map(answer));
  }

  /**
   * Applies the events of the store and rider contexts to their orders, a chunk at a time: the
   * chunk's orders are read and locked in one statement, the events applied in order in memory, the
   * changed orders written back in one batch and their events appended to the outbox.
   */
  Future<Void> on(SqlConnection tx, List<CloudEvent> events) {
    Set<UUID> ids = new LinkedHashSet<>();
    for (CloudEvent event : events) {
      try {
        ids.add(UUID.fromString(event.subject()));
      } catch (IllegalArgumentException e) {
        return Future.failedFuture("event subject is not an order id: " + event.subject());
      }
    }
    return orders
        .lockAll(tx, ids)
        .compose(
            found -> {
              Map<UUID, Order> changed = new LinkedHashMap<>();
              List<CloudEvent> out = new ArrayList<>();
              for (CloudEvent event : events) {
                UUID id = UUID.fromString(event.subject());
                Order order = found.get(id);
                if (order == null) {
                  // order.placed is stored before the store or a rider can act on the order: it
                  // is not known yet, or it is lost; the consumer waits a while, then
                  // dead-letters the event
                  throw NotYetException.notFound("there is no order " + id + " (yet)");
                }
                Decision<Order> d = order.on(event);
                if (d.next() != order) {
                  found.put(id, d.next());
                  changed.put(id, d.next());
                }
                out.addAll(d.events());
              }
              return orders
                  .updateAll(tx, changed.values())
                  .compose(v -> outbox.append(tx, Topics.ORDER_EVENTS, out));
            });
  }

  /**
   * Sagas have deadlines: a cancel or change of items the store has not answered for {@code
   * deadline} is asked again (the store answers a repeated request the same way), so a request lost
   * or left behind by a crash never leaves an order waiting for good.
   */
  Future<Integer> reaskStuckSagas(Duration deadline) {
    return orders
        .awaitingStore(pool, Instant.now().minus(deadline))
        .compose(
            ids -> {
              Future<Integer> chain = Future.succeededFuture(0);
              for (UUID id : ids) {
                chain =
                    chain.compose(
                        n ->
                            pool.withTransaction(
                                    tx ->
                                        orders
                                            .findForUpdate(tx, id)
                                            .compose(o -> save(tx, o.reask(Instant.now()))))
                                .map(o -> n + 1)
                                .otherwise(n));
              }
              return chain;
            })
        .onSuccess(
            n -> {
              if (n > 0) {
                log.info(
                    "asked the store again about {} cancels or changes past their deadline", n);
              }
            });
  }

  /** The consumer of the order's progress: {@link #on} a chunk at a time. */
  IdempotentConsumer.Handler progress() {
    return IdempotentConsumer.Handler.ofChunks(this::on);
  }

  private Future<Order> save(SqlConnection tx, Decision<Order> d) {
    return orders
        .update(tx, d.next())
        .compose(v -> outbox.append(tx, Topics.ORDER_EVENTS, d.events()))
        .map(d.next());
  }

  private static Order owned(Order order, UUID orderId, JsonObject query) {
    if (order == null || !order.customerId().equals(query.getString("customerId"))) {
      throw new OrderNotFound(orderId);
    }
    return order;
  }
}
