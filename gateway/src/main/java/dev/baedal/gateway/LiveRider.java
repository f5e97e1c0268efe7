package dev.baedal.gateway;

import dev.baedal.contract.Reach;
import dev.baedal.platform.Addresses;
import dev.baedal.platform.http.ProblemException;
import dev.baedal.platform.http.Violation;
import dev.baedal.platform.live.LiveFeed;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /ws/rider}: a rider's live work. The rider sends {@code {"lat","lng"}} whenever it moves
 * and is answered {@code {"type":"offers","offers":[...]}} (as {@code GET /api/rider/deliveries});
 * then, as the rider context commits changes ({@link Addresses#LIVE_DELIVERIES}): {@code
 * {"type":"offer","offer":{...}}} for a delivery that opens within its reach (by the one rule of
 * {@link Reach}), {@code {"type":"taken","orderId"}} or {@code {"type":"withdrawn","orderId"}} when
 * one on offer to it is claimed by another rider or withdrawn, and {@code
 * {"type":"mine","delivery":{...}}} for changes of its own deliveries. On connect it gets a {@code
 * mine} message for each of its deliveries under way.
 */
final class LiveRider {
  private final Vertx vertx;
  private final LiveHandshake handshake;
  private final Reach reach;
  private final long checkIntervalMs;
  private final Set<RiderSocket> sockets = new LinkedHashSet<>();
  private MessageConsumer<String> feed;
  private long checkTimer = -1;

  LiveRider(Vertx vertx, LiveHandshake handshake, Reach reach, long checkIntervalMs) {
    this.vertx = vertx;
    this.handshake = handshake;
    this.reach = reach;
    this.checkIntervalMs = checkIntervalMs;
  }

  Future<Void> start() {
    feed = vertx.eventBus().consumer(Addresses.LIVE_DELIVERIES, this::changed);
    checkTimer = vertx.setPeriodic(checkIntervalMs, id -> sockets.forEach(this::refresh));
    return feed.completion();
  }

  Future<Void> stop() {
    vertx.cancelTimer(checkTimer);
    List.copyOf(sockets).forEach(s -> s.ws().close());
    sockets.clear();
    return feed == null ? Future.succeededFuture() : feed.unregister();
  }

  /** Handles the upgrade request of {@code /ws/rider}. */
  void connect(RoutingContext ctx) {
    handshake.authenticate(ctx, "rider").onSuccess(user -> open(ctx, user));
  }

  private void open(RoutingContext ctx, User user) {
    RiderSocket socket = new RiderSocket(user.principal().getString("sub"));
    sockets.add(socket);
    mine(socket.riderId)
        .onFailure(
            err -> {
              sockets.remove(socket);
              ctx.fail(err);
            })
        .onSuccess(
            mine ->
                handshake
                    .upgrade(ctx, user, () -> sockets.remove(socket))
                    .onFailure(err -> sockets.remove(socket))
                    .onSuccess(
                        ws -> {
                          socket.attach(ws);
                          ws.textMessageHandler(text -> moved(socket, text));
                          Map<String, Long> versions = new HashMap<>();
                          for (int i = 0; i < mine.size(); i++) {
                            JsonObject d = mine.getJsonObject(i);
                            versions.put(d.getString("orderId"), d.getLong("version"));
                            socket.send(mineMessage(d));
                          }
                          socket.resume(versions);
                        }));
  }

  private Future<JsonArray> mine(String riderId) {
    return vertx
        .eventBus()
        .<JsonArray>request(Addresses.RIDER_SNAPSHOT, new JsonObject().put("riderId", riderId))
        .map(Message::body);
  }

  /** The rider sent its position: the offers around it, then the changes from there on. */
  private void moved(RiderSocket socket, String text) {
    JsonObject position;
    try {
      position = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      socket.send(error(List.of(Violation.pointer("", Violation.NOT_JSON))));
      return;
    }
    List<Violation> wrong = new ArrayList<>();
    coordinate(position, "lat", 90, wrong);
    coordinate(position, "lng", 180, wrong);
    if (!wrong.isEmpty()) {
      socket.send(error(wrong));
      return;
    }
    Number lat = (Number) position.getValue("lat");
    Number lng = (Number) position.getValue("lng");
    socket.lat = lat.doubleValue();
    socket.lng = lng.doubleValue();
    offers(socket, true);
  }

  /** Reads the offers at the socket's position; sends them if {@code always} or they changed. */
  private void offers(RiderSocket socket, boolean always) {
    if (socket.lat == null) {
      return;
    }
    socket.pause();
    vertx
        .eventBus()
        .<JsonArray>request(
            Addresses.RIDER_NEARBY,
            new JsonObject()
                .put("riderId", socket.riderId)
                .put("lat", socket.lat)
                .put("lng", socket.lng))
        .onComplete(
            ar -> {
              Map<String, Long> versions = new HashMap<>();
              if (ar.succeeded()) {
                JsonArray offers = ar.result().body();
                Set<String> ids = new HashSet<>();
                boolean newer = false;
                for (int i = 0; i < offers.size(); i++) {
                  JsonObject o = offers.getJsonObject(i);
                  ids.add(o.getString("orderId"));
                  versions.put(o.getString("orderId"), o.getLong("version"));
                  newer |= socket.version(o.getString("orderId")) < o.getLong("version");
                }
                if (always || newer || !ids.equals(socket.offered)) {
                  socket.offered.clear();
                  socket.offered.addAll(ids);
                  socket.send(
                      new JsonObject().put("type", "offers").put("offers", offers).encode());
                }
              }
              socket.resume(versions);
            });
  }

  /** What a socket missed (a message lost between cluster nodes), it gets now. */
  private void refresh(RiderSocket socket) {
    mine(socket.riderId)
        .onSuccess(
            mine -> {
              for (int i = 0; i < mine.size(); i++) {
                JsonObject d = mine.getJsonObject(i);
                socket.change(d.getString("orderId"), d.getLong("version"), d);
              }
            });
    offers(socket, false);
  }

  private void changed(Message<String> message) {
    if (sockets.isEmpty()) {
      return;
    }
    String orderId = message.headers().get(LiveFeed.KEY);
    long version = Long.parseLong(message.headers().get(LiveFeed.VERSION));
    JsonObject delivery = new JsonObject(message.body()); // parsed once, read by every socket
    for (RiderSocket s : List.copyOf(sockets)) {
      s.change(orderId, version, delivery);
    }
  }

  private static String mineMessage(JsonObject delivery) {
    return new JsonObject().put("type", "mine").put("delivery", delivery).encode();
  }

  /** What is wrong with a position, as a problem says it: {@code {type: error, detail, errors}}. */
  private static String error(List<Violation> wrong) {
    JsonObject problem = ProblemException.invalid(wrong).toJson();
    return new JsonObject()
        .put("type", "error")
        .put("detail", problem.getString("detail"))
        .put("errors", problem.getJsonArray("errors"))
        .encode();
  }

  private static void coordinate(
      JsonObject position, String name, double max, List<Violation> wrong) {
    Object v = position.getValue(name);
    if (v == null) {
      wrong.add(Violation.pointer("/" + name, Violation.REQUIRED));
    } else if (!(v instanceof Number n)) {
      wrong.add(Violation.pointer("/" + name, Violation.A_NUMBER));
    } else if (!Double.isFinite(n.doubleValue()) || Math.abs(n.doubleValue()) > max) {
      wrong.add(Violation.pointer("/" + name, Violation.between(-max, max)));
    }
  }

  /** One rider's socket: where it is, and what is on offer to it. */
  private final class RiderSocket extends LiveSocket {
    private final String riderId;
    private final Set<String> offered = new HashSet<>();
    private Double lat;
    private Double lng;

    RiderSocket(String riderId) {
      this.riderId = riderId;
    }

    @Override
    void deliver(String orderId, long version, Object body) {
      JsonObject delivery = (JsonObject) body;
      if (riderId.equals(delivery.getString("riderId"))) {
        offered.remove(orderId);
        send(mineMessage(delivery));
        return;
      }
      if ("OPEN".equals(delivery.getString("status"))) {
        JsonObject offer = lat == null ? null : reach.offer(delivery, lat, lng);
        if (offer != null) {
          offered.add(orderId);
          send(new JsonObject().put("type", "offer").put("offer", offer).encode());
        } else if (offered.remove(orderId)) {
          send(new JsonObject().put("type", "withdrawn").put("orderId", orderId).encode());
        }
      } else if (offered.remove(orderId)) {
        String type = "WITHDRAWN".equals(delivery.getString("status")) ? "withdrawn" : "taken";
        send(new JsonObject().put("type", type).put("orderId", orderId).encode());
      }
    }
  }
}
