package dev.baedal.store;

import dev.baedal.platform.Addresses;
import dev.baedal.platform.Topics;
import dev.baedal.platform.consistency.CatchUp;
import dev.baedal.platform.consistency.NotYetException;
import dev.baedal.platform.db.AfterCommit;
import dev.baedal.platform.events.CloudEvent;
import dev.baedal.platform.events.Decision;
import dev.baedal.platform.http.ProblemException;
import dev.baedal.platform.live.LiveFeed;
import dev.baedal.platform.outbox.Outbox;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's work on orders: owner actions from the gateway and the events of other contexts, each
 * one transaction that locks the store order, applies the pure transition, writes the row and its
 * events to the outbox. Every change of a store order goes to live subscribers once committed
 * ({@link Addresses#LIVE_STORE_ORDERS}).
 */
final class StoreService {
  private static final Logger log = LoggerFactory.getLogger(StoreService.class);

  /** The events of {@code order-events} and {@code delivery-events} this context acts on. */
  static final Set<String> HANDLES =
      Set.of(
          "order.placed",
          "order.cancel-requested",
          "order.modification-requested",
          "order.completed",
          "delivery.picked-up",
          "delivery.delivered");

  private final Pool pool;
  private final Catalog catalog;
  private final CatchUp catchUp;
  private final long catchUpMs;
  private final LiveFeed live;
  private final StoreOrderRepository orders = new StoreOrderRepository();
  private final Outbox outbox = new Outbox(Catalog.SCHEMA);

  StoreService(Vertx vertx, Pool pool, Catalog catalog, long catchUpMs) {
    this.pool = pool;
    this.catalog = catalog;
    this.catchUp = CatchUp.of(vertx);
    this.catchUpMs = catchUpMs;
    this.live = new LiveFeed(vertx, Addresses.LIVE_STORE_ORDERS);
  }

  /**
   * {@code {storeId, orderId, action, reason}} from the store's owner. An order this context has
   * not heard of yet (the owner was quicker than {@code order.placed}) is waited for a moment (see
   * {@link CatchUp}).
   */
  Future<JsonObject> act(JsonObject command) {
    String storeId = command.getString("storeId");
    String action = command.getString("action");
    UUID orderId = parseId(command.getString("orderId"));
    return catchUp.retry(
        orderId.toString(),
        catchUpMs,
        () ->
            AfterCommit.transaction(
                pool,
                tx ->
                    orders
                        .findForUpdate(tx, orderId)
                        .compose(
                            order -> {
                              if (order == null) {
                                throw NotYetException.notFound(
                                    "your store has no order " + orderId);
                              }
                              if (!order.storeId().equals(storeId)) {
                                throw ProblemException.notFound(
                                    "your store has no order " + orderId);
                              }
                              return decide(tx, order, action, command)
                                  .compose(d -> save(tx, order, d));
                            })
                        .map(StoreOrder::toJson)));
  }

  /** {@code {storeId}}: the orders the store still has work on, for a live session's start. */
  Future<JsonArray> open(JsonObject query) {
    return orders
        .open(pool, query.getString("storeId"))
        .map(list -> new JsonArray(list.stream().map(o -> (Object) o.toJson()).toList()));
  }

  private Future<Decision<StoreOrder>> decide(
      SqlConnection tx, StoreOrder order, String action, JsonObject command) {
    return switch (action) {
      case "accept" -> Future.succeededFuture(order.accept());
      case "reject" -> {
        Object reason = command.getValue("reason");
        if (!(reason instanceof String r) || r.isBlank() || r.length() > 500) {
          throw ProblemException.badRequest("reject needs a reason (1 to 500 characters)");
        }
        yield Future.succeededFuture(order.reject(r));
      }
      case "start-cooking" ->
          catalog
              .store(tx, order.storeId())
              .map(store -> order.startCooking(store.getJsonObject("location")));
      case "finish-cooking" -> Future.succeededFuture(order.finishCooking());
      default -> throw ProblemException.notFound("no action " + action);
    };
  }

  /** {@code {storeId, status}}: the store's orders, newest first. */
  Future<JsonArray> list(JsonObject query) {
    String status = query.getString("status");
    if (status != null) {
      try {
        StoreOrder.Status.valueOf(status);
      } catch (IllegalArgumentException e) {
        throw ProblemException.badRequest(
            "status must be one of " + EnumSet.allOf(StoreOrder.Status.class));
      }
    }
    return orders
        .list(pool, query.getString("storeId"), status)
        .map(list -> new JsonArray(list.stream().map(StoreOrder::toJson).toList()));
  }

  /** {@code {storeId, open}}: opens or closes the store; the catalogue tells the order context. */
  Future<JsonObject> setOpen(JsonObject command) {
    String storeId = command.getString("storeId");
    if (!(command.getValue("open") instanceof Boolean open)) {
      throw ProblemException.badRequest("expected {\"open\": true|false}");
    }
    return pool.withTransaction(tx -> catalog.setOpen(tx, storeId, open))
        .map(
            store -> {
              if (store == null) {
                throw ProblemException.notFound("there is no store " + storeId);
              }
              return store;
            });
  }

  /** Handles an event of {@code order-events} or {@code delivery-events}. */
  Future<Void> on(SqlConnection tx, CloudEvent event) {
    UUID orderId = parseId(event.subject());
    return switch (event.type()) {
      case "order.placed" -> placed(tx, event.data());
      case "order.cancel-requested" -> apply(tx, orderId, StoreOrder::onCancelRequested);
      case "order.modification-requested" ->
          apply(tx, orderId, o -> o.onModificationRequested(event.data()));
      case "order.completed" -> apply(tx, orderId, StoreOrder::onCompleted);
      case "delivery.picked-up" -> apply(tx, orderId, StoreOrder::onPickedUp);
      case "delivery.delivered" -> apply(tx, orderId, StoreOrder::onDelivered);
      default -> Future.succeededFuture();
    };
  }

  private Future<Void> placed(SqlConnection tx, JsonObject order) {
    return orders
        .storeName(tx, order.getString("storeId"))
        .compose(
            name -> {
              if (name == null) {
                log.warn("order.placed for unknown store {} skipped", order.getString("storeId"));
                return Future.succeededFuture();
              }
              StoreOrder placed = StoreOrder.placed(order, name);
              return orders
                  .insert(tx, placed)
                  .map(
                      inserted -> {
                        if (inserted) {
                          publish(tx, placed);
                        }
                        return (Void) null;
                      });
            });
  }

  private Future<Void> apply(
      SqlConnection tx, UUID orderId, Function<StoreOrder, Decision<StoreOrder>> transition) {
    return orders
        .findForUpdate(tx, orderId)
        .compose(
            order -> {
              if (order == null) {
                // not one of ours (another deployment sharing the broker): nothing to do
                log.debug("event for unknown store order {} skipped", orderId);
                return Future.succeededFuture();
              }
              return save(tx, order, transition.apply(order)).mapEmpty();
            });
  }

  /** Writes what changed from {@code before}: the row (and its live push) and the events. */
  private Future<StoreOrder> save(SqlConnection tx, StoreOrder before, Decision<StoreOrder> d) {
    StoreOrder next = d.next();
    Future<Void> row = Future.succeededFuture();
    if (next != before) {
      row = orders.update(tx, next);
      publish(tx, next);
    }
    return row.compose(v -> outbox.append(tx, Topics.STORE_EVENTS, d.events())).map(next);
  }

  private void publish(SqlConnection tx, StoreOrder order) {
    live.afterCommit(
        tx,
        order.orderId().toString(),
        order.version(),
        order.storeId(),
        new JsonObject().put("type", "order").put("order", order.toJson()));
  }

  private static UUID parseId(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw ProblemException.notFound("there is no order " + id);
    }
  }
}
