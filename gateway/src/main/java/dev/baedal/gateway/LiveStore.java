package dev.baedal.gateway;

import dev.baedal.platform.Addresses;
import dev.baedal.platform.live.LiveFeed;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /ws/store}: a store owner's live work. On connect {@code
 * {"type":"snapshot","orders":[...]}} with the store's open orders, then {@code
 * {"type":"order","order":{...}}} for each new order and each change of one of its orders, as the
 * store context commits them ({@link Addresses#LIVE_STORE_ORDERS}). Each order carries its version;
 * the socket never sends an older state after a newer one (see {@link LiveSocket}). Every {@code
 * live.check-interval-ms} the open orders are read again and what a socket missed is sent.
 */
final class LiveStore {
  private final Vertx vertx;
  private final LiveHandshake handshake;
  private final long checkIntervalMs;
  private final Map<String, Set<StoreSocket>> sockets = new HashMap<>();
  private MessageConsumer<String> feed;
  private long checkTimer = -1;

  LiveStore(Vertx vertx, LiveHandshake handshake, long checkIntervalMs) {
    this.vertx = vertx;
    this.handshake = handshake;
    this.checkIntervalMs = checkIntervalMs;
  }

  Future<Void> start() {
    feed = vertx.eventBus().consumer(Addresses.LIVE_STORE_ORDERS, this::changed);
    checkTimer = vertx.setPeriodic(checkIntervalMs, id -> check());
    return feed.completion();
  }

  Future<Void> stop() {
    vertx.cancelTimer(checkTimer);
    sockets.values().forEach(set -> set.forEach(s -> s.ws().close()));
    sockets.clear();
    return feed == null ? Future.succeededFuture() : feed.unregister();
  }

  /** Handles the upgrade request of {@code /ws/store}. */
  void connect(RoutingContext ctx) {
    handshake.authenticate(ctx, "store").onSuccess(user -> open(ctx, user));
  }

  private void open(RoutingContext ctx, User user) {
    String storeId = user.principal().getString("sub");
    StoreSocket socket = new StoreSocket(storeId);
    sockets.computeIfAbsent(storeId, k -> new LinkedHashSet<>()).add(socket);
    snapshot(storeId)
        .onFailure(
            err -> {
              remove(socket);
              ctx.fail(err);
            })
        .onSuccess(
            orders ->
                handshake
                    .upgrade(ctx, user, () -> remove(socket))
                    .onFailure(err -> remove(socket))
                    .onSuccess(
                        ws -> {
                          socket.attach(ws);
                          socket.send(
                              new JsonObject()
                                  .put("type", "snapshot")
                                  .put("orders", orders)
                                  .encode());
                          socket.resume(versions(orders));
                        }));
  }

  private Future<JsonArray> snapshot(String storeId) {
    return vertx
        .eventBus()
        .<JsonArray>request(Addresses.STORE_SNAPSHOT, new JsonObject().put("storeId", storeId))
        .map(Message::body);
  }

  private static Map<String, Long> versions(JsonArray orders) {
    Map<String, Long> out = new HashMap<>();
    for (int i = 0; i < orders.size(); i++) {
      JsonObject o = orders.getJsonObject(i);
      out.put(o.getString("orderId"), o.getLong("version"));
    }
    return out;
  }

  private void remove(StoreSocket socket) {
    Set<StoreSocket> set = sockets.get(socket.storeId);
    if (set != null && set.remove(socket) && set.isEmpty()) {
      sockets.remove(socket.storeId);
    }
  }

  private void changed(Message<String> message) {
    Set<StoreSocket> set = sockets.get(message.headers().get(LiveFeed.AUDIENCE));
    if (set == null) {
      return;
    }
    String orderId = message.headers().get(LiveFeed.KEY);
    long version = Long.parseLong(message.headers().get(LiveFeed.VERSION));
    for (StoreSocket s : List.copyOf(set)) {
      s.change(orderId, version, message.body());
    }
  }

  /** Each store's open orders again: what a socket missed, it gets now. */
  private void check() {
    sockets.forEach(
        (storeId, set) ->
            snapshot(storeId)
                .onSuccess(
                    orders -> {
                      for (int i = 0; i < orders.size(); i++) {
                        JsonObject order = orders.getJsonObject(i);
                        String body =
                            new JsonObject().put("type", "order").put("order", order).encode();
                        for (StoreSocket s : List.copyOf(set)) {
                          s.change(order.getString("orderId"), order.getLong("version"), body);
                        }
                      }
                    }));
  }

  /** One store owner's socket. */
  private static final class StoreSocket extends LiveSocket {
    private final String storeId;

    StoreSocket(String storeId) {
      this.storeId = storeId;
    }

    @Override
    void deliver(String key, long version, Object body) {
      send((String) body);
    }
  }
}
