package dev.baedal.order;

import dev.baedal.contract.EventType;
import dev.baedal.platform.Topics;
import dev.baedal.platform.consistency.NotYetException;
import dev.baedal.platform.events.CloudEvent;
import dev.baedal.platform.events.Decision;
import dev.baedal.platform.kafka.IdempotentConsumer;
import dev.baedal.platform.outbox.Outbox;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the store and rider contexts report, applied to their orders; and the sagas' deadlines: a
 * cancel or change of items the store has not answered is asked again.
 */
final class OrderProgress {
  private static final Logger log = LoggerFactory.getLogger(OrderProgress.class);

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
  private final OrderRepository orders = new OrderRepository();
  private final Outbox outbox = new Outbox(OrderRepository.SCHEMA);

  OrderProgress(Pool pool) {
    this.pool = pool;
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
                                            .compose(
                                                o ->
                                                    orders.save(
                                                        tx, outbox, o.reask(Instant.now()))))
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
  IdempotentConsumer.Handler handler() {
    return IdempotentConsumer.Handler.ofChunks(this::on);
  }
}
