package dev.baedal.rider;

import dev.baedal.platform.Topics;
import dev.baedal.platform.events.CloudEvent;
import dev.baedal.platform.events.Decision;
import dev.baedal.platform.http.ProblemException;
import dev.baedal.platform.outbox.Outbox;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.Comparator;
import java.util.UUID;
import java.util.function.Function;

/** Riders' requests from the gateway and the store events that open and close deliveries. */
final class RiderService {
  private final Pool pool;
  private final Geo geo;
  private final DeliveryRepository deliveries = new DeliveryRepository();
  private final Outbox outbox = new Outbox(DeliveryRepository.SCHEMA);

  RiderService(Pool pool, Geo geo) {
    this.pool = pool;
    this.geo = geo;
  }

  /** {@code {riderId, lat, lng}}: open deliveries this rider may take, nearest first. */
  Future<JsonArray> nearby(JsonObject query) {
    double lat = coordinate(query, "lat", 90);
    double lng = coordinate(query, "lng", 180);
    return deliveries
        .open(pool)
        .map(
            open ->
                new JsonArray(
                    open.stream()
                        .map(
                            d ->
                                new Object[] {
                                  d, Geo.distanceKm(lat, lng, d.storeLat(), d.storeLng())
                                })
                        .filter(x -> geo.reaches((double) x[1], ((Delivery) x[0]).express()))
                        .sorted(Comparator.comparingDouble(x -> (double) x[1]))
                        .map(x -> (Object) ((Delivery) x[0]).offer((double) x[1], geo))
                        .toList()));
  }

  /** {@code {riderId}}: this rider's deliveries, latest first. */
  Future<JsonArray> mine(JsonObject query) {
    return deliveries
        .mine(pool, query.getString("riderId"))
        .map(list -> new JsonArray(list.stream().map(d -> (Object) d.toJson()).toList()));
  }

  /** {@code {riderId, orderId, action, lat, lng}}: claim, pickup or deliver. */
  Future<JsonObject> act(JsonObject command) {
    String rider = command.getString("riderId");
    UUID orderId = parseId(command.getString("orderId"));
    return switch (command.getString("action")) {
      case "claim" -> claim(rider, orderId, command);
      case "pickup" -> change(orderId, d -> d.pickUp(rider));
      case "deliver" -> change(orderId, d -> d.deliver(rider));
      default -> throw ProblemException.notFound("no such action");
    };
  }

  private Future<JsonObject> claim(String rider, UUID orderId, JsonObject command) {
    double lat = coordinate(command, "lat", 90);
    double lng = coordinate(command, "lng", 180);
    return pool.withTransaction(
        tx ->
            deliveries
                .find(tx, orderId)
                .compose(
                    d -> {
                      if (d == null) {
                        throw ProblemException.notFound("there is no delivery " + orderId);
                      }
                      Decision<Delivery> decision =
                          d.claim(rider, Geo.distanceKm(lat, lng, d.storeLat(), d.storeLng()), geo);
                      return deliveries
                          .claim(tx, orderId, rider)
                          .compose(
                              won -> {
                                if (!won) {
                                  throw ProblemException.conflict(
                                      "another rider claimed delivery " + orderId + " first");
                                }
                                return outbox.append(tx, Topics.DELIVERY_EVENTS, decision.events());
                              })
                          .map(v -> decision.next().toJson());
                    }));
  }

  private Future<JsonObject> change(
      UUID orderId, Function<Delivery, Decision<Delivery>> transition) {
    return pool.withTransaction(
        tx ->
            deliveries
                .findForUpdate(tx, orderId)
                .compose(
                    d -> {
                      if (d == null) {
                        throw ProblemException.notFound("there is no delivery " + orderId);
                      }
                      return save(tx, transition.apply(d));
                    })
                .map(Delivery::toJson));
  }

  /** Handles a {@code store-events} event. */
  Future<Void> on(SqlConnection tx, CloudEvent event) {
    UUID orderId = parseId(event.subject());
    return switch (event.type()) {
      case "store.cooking-started" -> {
        Decision<Delivery> opened = Delivery.open(event.data(), event.time());
        yield deliveries
            .insert(tx, opened.next())
            .compose(
                inserted ->
                    inserted
                        ? outbox.append(tx, Topics.DELIVERY_EVENTS, opened.events())
                        : Future.succeededFuture());
      }
      case "store.cooking-finished" -> apply(tx, orderId, Delivery::onCooked);
      case "store.cancel-confirmed" ->
          apply(tx, orderId, d -> d.withdraw("the order was cancelled"));
      default -> Future.succeededFuture();
    };
  }

  private Future<Void> apply(
      SqlConnection tx, UUID orderId, Function<Delivery, Decision<Delivery>> transition) {
    return deliveries
        .findForUpdate(tx, orderId)
        .compose(
            d -> d == null ? Future.succeededFuture() : save(tx, transition.apply(d)).mapEmpty());
  }

  private Future<Delivery> save(SqlConnection tx, Decision<Delivery> d) {
    return deliveries
        .update(tx, d.next())
        .compose(v -> outbox.append(tx, Topics.DELIVERY_EVENTS, d.events()))
        .map(d.next());
  }

  private static double coordinate(JsonObject json, String name, double max) {
    Object v = json.getValue(name);
    double d;
    try {
      d = v instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(v));
    } catch (NumberFormatException e) {
      throw ProblemException.badRequest(name + " must be a number");
    }
    if (!Double.isFinite(d) || Math.abs(d) > max) {
      throw ProblemException.badRequest(name + " must be between " + -max + " and " + max);
    }
    return d;
  }

  private static UUID parseId(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw ProblemException.notFound("there is no delivery " + id);
    }
  }
}
