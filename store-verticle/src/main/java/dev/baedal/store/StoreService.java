package dev.baedal.store;

import dev.baedal.contract.EventType;
import dev.baedal.contract.events.OrderPlaced;
import dev.baedal.contract.events.Point;
import dev.baedal.platform.Addresses;
import dev.baedal.platform.Topics;
import dev.baedal.platform.consistency.CatchUp;
import dev.baedal.platform.consistency.NotYetException;
import dev.baedal.platform.db.AfterCommit;
import dev.baedal.platform.db.RowLocks;
import dev.baedal.platform.events.CloudEvent;
import dev.baedal.platform.events.Decision;
import dev.baedal.platform.http.ProblemException;
import dev.baedal.platform.http.Violation;
import dev.baedal.platform.kafka.IdempotentConsumer;
import dev.baedal.platform.live.LiveFeed;
import dev.baedal.platform.outbox.Outbox;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
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
      EventType.wires(
          EventType.ORDER_PLACED,
          EventType.ORDER_CANCEL_REQUESTED,
          EventType.ORDER_MODIFICATION_REQUESTED,
          EventType.ORDER_COMPLETED,
          EventType.DELIVERY_PICKED_UP,
          EventType.DELIVERY_DELIVERED);

  /** The events the rider context takes at once, besides from their records. */
  private static final Set<String> HANDED_TO_RIDERS =
      EventType.wires(EventType.STORE_COOKING_STARTED, EventType.STORE_COOKING_FINISHED);

  private final Pool pool;
  private final Catalog catalog;
  private final CatchUp catchUp;
  private final long catchUpMs;
  private final LiveFeed live;
  private final StoreOrderRepository orders = new StoreOrderRepository();
  private final Outbox outbox;

  StoreService(Vertx vertx, Pool pool, Catalog catalog, long catchUpMs) {
    this.pool = pool;
    this.catalog = catalog;
    this.catchUp = CatchUp.of(vertx);
    this.catchUpMs = catchUpMs;
    this.live = new LiveFeed(vertx, Addresses.LIVE_STORE_ORDERS);
    // the rider context takes a start or end of cooking at once (Addresses.STORE_COOKING), so the
    // rider's offer, or word that the food is ready, does not wait for the relay and the broker
    this.outbox =
        new Outbox(Catalog.SCHEMA).handingOver(vertx, Addresses.STORE_COOKING, HANDED_TO_RIDERS);
  }

  /**
   * {@code {storeId, orderId, action, reason}} from the store's owner. An order this context has
   * not heard of yet (the owner was quicker than {@code order.placed}) is waited for a moment (see
   * {@link CatchUp}).
   */
  Future<JsonObject> act(JsonObject command) {
    String storeId = command.getString("storeId");
    String action = command.getString("action");
    UUID orderId = ProblemException.parseId("order", command.getString("orderId"));
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
    Instant now = Instant.now();
    return switch (action) {
      case "accept" -> Future.succeededFuture(order.accept(now));
      case "reject" -> {
        Object reason = command.getValue("reason");
        String problem =
            reason == null
                ? Violation.REQUIRED
                : !(reason instanceof String text)
                    ? Violation.A_STRING
                    : text.isBlank()
                        ? Violation.NOT_BLANK
                        : text.length() > 500 ? Violation.longest(500) : null;
        if (problem != null) {
          throw ProblemException.invalid(Violation.pointer("/reason", problem));
        }
        String r = (String) reason;
        yield Future.succeededFuture(order.reject(r, now));
      }
      case "start-cooking" ->
          catalog
              .store(tx, order.storeId())
              .map(store -> order.startCooking(Point.of(store.getJsonObject("location")), now));
      case "finish-cooking" -> Future.succeededFuture(order.finishCooking(now));
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
        throw ProblemException.invalid(
            Violation.parameter("status", Violation.oneOf(EnumSet.allOf(StoreOrder.Status.class))));
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
      throw ProblemException.invalid(
          Violation.pointer(
              "/open",
              command.getValue("open") == null ? Violation.REQUIRED : Violation.A_BOOLEAN));
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

  /**
   * Handles a chunk of events of {@code order-events} and {@code delivery-events}: the new orders
   * are stored first, then the chunk's orders are read and locked in one statement, the events
   * applied in order in memory, and the changed orders written back in one batch, their events
   * appended to the outbox and their changes pushed to live subscribers once committed.
   */
  Future<Void> on(SqlConnection tx, List<CloudEvent> events) {
    // new orders are stored in key order, whatever order their events came in (see RowLocks)
    Map<UUID, OrderPlaced> newOrders = new TreeMap<>(RowLocks.KEY_ORDER);
    Set<UUID> ids = new LinkedHashSet<>();
    for (CloudEvent event : events) {
      UUID orderId = ProblemException.parseId("order", event.subject());
      if (EventType.ORDER_PLACED.is(event)) {
        newOrders.putIfAbsent(orderId, OrderPlaced.of(event.data()));
      } else {
        ids.add(orderId);
      }
    }
    Future<Void> placed = Future.succeededFuture();
    for (OrderPlaced order : newOrders.values()) {
      placed = placed.compose(v -> placed(tx, order));
    }
    if (ids.isEmpty()) {
      return placed;
    }
    return placed
        .compose(v -> orders.lockAll(tx, ids))
        .compose(
            found -> {
              Instant now = Instant.now();
              Map<UUID, StoreOrder> before = new HashMap<>(found);
              List<CloudEvent> out = new ArrayList<>();
              for (CloudEvent event : events) {
                if (EventType.ORDER_PLACED.is(event)) {
                  continue; // stored above
                }
                StoreOrder order = found.get(ProblemException.parseId("order", event.subject()));
                if (order == null) {
                  // order.placed comes first on order-events: not known yet, or lost; the
                  // consumer waits a while, then dead-letters the event
                  throw NotYetException.notFound("there is no store order " + event.subject());
                }
                Decision<StoreOrder> d = order.on(event, now);
                found.put(order.orderId(), d.next());
                out.addAll(d.events());
              }
              List<StoreOrder> changed = new ArrayList<>();
              found.forEach(
                  (id, o) -> {
                    if (o != before.get(id)) {
                      // several events of this chunk may have changed it: one version is committed
                      StoreOrder committed = o.committedAfter(before.get(id));
                      changed.add(committed);
                      publish(tx, committed);
                    }
                  });
              return orders
                  .updateAll(tx, changed)
                  .compose(v -> outbox.append(tx, Topics.STORE_EVENTS, out));
            });
  }

  /** The consumer of the orders' events: {@link #on} a chunk at a time. */
  IdempotentConsumer.Handler consumer() {
    return IdempotentConsumer.Handler.ofChunks(this::on);
  }

  private Future<Void> placed(SqlConnection tx, OrderPlaced order) {
    return orders
        .storeNames(tx, order.order().storeId())
        .compose(
            names -> {
              if (names == null) {
                // invalid for good: the order context prices orders from this context's catalogue
                throw new IllegalArgumentException(
                    "order.placed for a store that does not exist: " + order.order().storeId());
              }
              StoreOrder placed = StoreOrder.placed(order, names.en(), names.ko());
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
}
