package dev.baedal.order;

import dev.baedal.contract.Won;
import dev.baedal.platform.consistency.CatchUp;
import dev.baedal.platform.events.Decision;
import dev.baedal.platform.http.ProblemException;
import dev.baedal.platform.outbox.Outbox;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * What a customer asks of an order once it exists: cancel it, change its items, confirm receipt.
 * Each is decided by the {@link Order} under its row lock and stored with its events.
 */
final class OrderCommands {
  private final Pool pool;
  private final CatalogReplica catalog;
  private final PaymentClient payments;
  private final Quote.Fees fees;
  private final CatchUp catchUp;
  private final long catchUpMs;
  private final OrderRepository orders = new OrderRepository();
  private final Outbox outbox = new Outbox(OrderRepository.SCHEMA);

  OrderCommands(
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
        () -> change(command, order -> order.confirm(Instant.now()), OrderJson::of));
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
                .put("total", quote.total().value())
                .put("delta", order.pendingModification().delta().value()));
  }

  private Future<Void> chargeDifference(Order order, UUID modificationId, Quote quote) {
    Won delta = quote.over(order.total());
    if (!delta.isPositive()) {
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
                .compose(d -> orders.save(tx, outbox, d))
                .map(answer));
  }

  private static Order owned(Order order, UUID orderId, JsonObject query) {
    if (order == null || !order.customerId().equals(query.getString("customerId"))) {
      throw new OrderNotFound(orderId);
    }
    return order;
  }
}
