package dev.baedal.rider;

import dev.baedal.contract.EventType;
import dev.baedal.contract.Reach;
import dev.baedal.contract.events.StoreCookingStarted;
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
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

/**
 * Riders' requests from the gateway and the store events that open and close deliveries. Every
 * change of a delivery goes to live subscribers once committed ({@link Addresses#LIVE_DELIVERIES}).
 */
final class RiderService {
  /** The events of {@code store-events} this context acts on. */
  static final Set<String> HANDLES =
      EventType.wires(
          EventType.STORE_COOKING_STARTED,
          EventType.STORE_COOKING_FINISHED,
          EventType.STORE_CANCEL_CONFIRMED);

  private final Pool pool;
  private final Reach reach;
  private final CatchUp catchUp;
  private final long catchUpMs;
  private final LiveFeed live;
  private final DeliveryRepository deliveries = new DeliveryRepository();
  private final Outbox outbox = new Outbox(DeliveryRepository.SCHEMA);

  RiderService(Vertx vertx, Pool pool, Reach reach, long catchUpMs) {
    this.pool = pool;
    this.reach = reach;
    this.catchUp = CatchUp.of(vertx);
    this.catchUpMs = catchUpMs;
    this.live = new LiveFeed(vertx, Addresses.LIVE_DELIVERIES);
  }

  /** {@code {riderId, lat, lng}}: open deliveries this rider may take, nearest first. */
  Future<JsonArray> nearby(JsonObject query) {
    double lat = coordinate(query, "lat", 90, false);
    double lng = coordinate(query, "lng", 180, false);
    return deliveries
        .open(pool)
        .map(
            open ->
                new JsonArray(
                    open.stream()
                        .map(d -> reach.offer(d.toJson(), lat, lng))
                        .filter(offer -> offer != null)
                        .sorted(Comparator.comparingDouble(o -> o.getDouble("distanceKm")))
                        .map(o -> (Object) o)
                        .toList()));
  }

  /** {@code {riderId}}: this rider's deliveries, latest first. */
  Future<JsonArray> mine(JsonObject query) {
    return deliveries.mine(pool, query.getString("riderId")).map(RiderService::json);
  }

  /** {@code {riderId}}: this rider's deliveries under way, for a live session's start. */
  Future<JsonArray> active(JsonObject query) {
    return deliveries.active(pool, query.getString("riderId")).map(RiderService::json);
  }

  /**
   * {@code {riderId, orderId, action, lat, lng}}: claim, pickup or deliver. A delivery this context
   * has not opened yet, or food it has not yet heard is cooked, is waited for a moment (see {@link
   * CatchUp}).
   */
  Future<JsonObject> act(JsonObject command) {
    String rider = command.getString("riderId");
    UUID orderId = ProblemException.parseId("delivery", command.getString("orderId"));
    String action = command.getString("action");
    return catchUp.retry(
        orderId.toString(),
        catchUpMs,
        () ->
            switch (action) {
              case "claim" -> claim(rider, orderId, command);
              case "pickup" -> change(orderId, d -> d.pickUp(rider, Instant.now()));
              case "deliver" -> change(orderId, d -> d.deliver(rider, Instant.now()));
              default -> throw ProblemException.notFound("no such action");
            });
  }

  /**
   * First rider wins: the row is locked, so a second claim waits for the first to commit and then
   * finds the delivery taken (409).
   */
  private Future<JsonObject> claim(String rider, UUID orderId, JsonObject command) {
    double lat = coordinate(command, "lat", 90, true);
    double lng = coordinate(command, "lng", 180, true);
    return change(
        orderId, d -> d.claim(rider, reach, reach.trip(d.toJson(), lat, lng), Instant.now()));
  }

  private Future<JsonObject> change(
      UUID orderId, Function<Delivery, Decision<Delivery>> transition) {
    return AfterCommit.transaction(
        pool,
        tx ->
            deliveries
                .findForUpdate(tx, orderId)
                .compose(
                    d -> {
                      if (d == null) {
                        throw NotYetException.notFound("there is no delivery " + orderId);
                      }
                      return save(tx, transition.apply(d));
                    })
                .map(Delivery::toJson));
  }

  /**
   * Handles a chunk of {@code store-events}: the deliveries that cooking opens are stored first,
   * then the chunk's deliveries are read and locked in one statement, the events applied in order
   * in memory, and the changed ones written back in one batch, their events appended to the outbox
   * and their changes pushed to live subscribers once committed.
   */
  Future<Void> on(SqlConnection tx, List<CloudEvent> events) {
    // deliveries are opened in key order, whatever order their events came in (see RowLocks)
    Map<UUID, Decision<Delivery>> opens = new TreeMap<>(RowLocks.KEY_ORDER);
    Set<UUID> ids = new LinkedHashSet<>();
    for (CloudEvent event : events) {
      UUID orderId = ProblemException.parseId("delivery", event.subject());
      if (EventType.STORE_COOKING_STARTED.is(event)) {
        if (!opens.containsKey(orderId)) {
          opens.put(orderId, Delivery.open(StoreCookingStarted.of(event.data()), event.time()));
        }
      } else {
        ids.add(orderId);
      }
    }
    Future<Void> opened = Future.succeededFuture();
    for (Decision<Delivery> open : opens.values()) {
      opened =
          opened.compose(
              v ->
                  deliveries
                      .insert(tx, open.next())
                      .compose(inserted -> inserted ? saved(tx, open) : Future.succeededFuture())
                      .mapEmpty());
    }
    if (ids.isEmpty()) {
      return opened;
    }
    return opened
        .compose(v -> deliveries.lockAll(tx, ids))
        .compose(
            found -> {
              Map<UUID, Delivery> before = new HashMap<>(found);
              List<CloudEvent> out = new ArrayList<>();
              for (CloudEvent event : events) {
                Delivery d = found.get(ProblemException.parseId("delivery", event.subject()));
                if (d == null && EventType.STORE_COOKING_FINISHED.is(event)) {
                  // cooking-started opens it, earlier on the same partition: not known yet, or
                  // lost; the consumer waits a while, then dead-letters the event
                  throw NotYetException.notFound("there is no delivery " + event.subject());
                }
                if (d == null) {
                  continue; // a cancel before cooking: there was never a delivery to withdraw
                }
                Decision<Delivery> decision = d.on(event);
                found.put(d.orderId(), decision.next());
                out.addAll(decision.events());
              }
              List<Delivery> changed = new ArrayList<>();
              found.forEach(
                  (id, d) -> {
                    if (d != before.get(id)) {
                      // several events of this chunk may have changed it: one version is committed
                      Delivery committed = d.committedAfter(before.get(id));
                      changed.add(committed);
                      live.afterCommit(tx, id.toString(), committed.version(), committed.toJson());
                    }
                  });
              return deliveries
                  .updateAll(tx, changed)
                  .compose(v -> outbox.append(tx, Topics.DELIVERY_EVENTS, out));
            });
  }

  /** The consumer of the store's events: {@link #on} a chunk at a time. */
  IdempotentConsumer.Handler consumer() {
    return IdempotentConsumer.Handler.ofChunks(this::on);
  }

  private Future<Delivery> save(SqlConnection tx, Decision<Delivery> d) {
    return deliveries.update(tx, d.next()).compose(v -> saved(tx, d));
  }

  /** The row is written: its events go to the outbox and the change to live subscribers. */
  private Future<Delivery> saved(SqlConnection tx, Decision<Delivery> d) {
    Delivery next = d.next();
    live.afterCommit(tx, next.orderId().toString(), next.version(), next.toJson());
    return outbox.append(tx, Topics.DELIVERY_EVENTS, d.events()).map(next);
  }

  private static JsonArray json(List<Delivery> list) {
    return new JsonArray(list.stream().map(d -> (Object) d.toJson()).toList());
  }

  /** A latitude or longitude: from the body of a claim, else from the query of a listing. */
  private static double coordinate(JsonObject json, String name, double max, boolean inBody) {
    Object v = json.getValue(name);
    Function<String, Violation> at =
        detail ->
            inBody ? Violation.pointer("/" + name, detail) : Violation.parameter(name, detail);
    if (v == null) {
      throw ProblemException.invalid(at.apply(Violation.REQUIRED));
    }
    double d;
    try {
      d = v instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(v));
    } catch (NumberFormatException e) {
      throw ProblemException.invalid(at.apply(Violation.A_NUMBER));
    }
    if (!Double.isFinite(d) || Math.abs(d) > max) {
      throw ProblemException.invalid(at.apply(Violation.between(-max, max)));
    }
    return d;
  }
}
