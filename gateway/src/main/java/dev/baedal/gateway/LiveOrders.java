package dev.baedal.gateway;

import dev.baedal.platform.Addresses;
import dev.baedal.platform.live.LiveFeed;
import dev.baedal.platform.metrics.Meters;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * {@code /ws/orders/{orderId}}: live order status over WebSocket, and read-your-writes for new
 * orders.
 *
 * <p>The query side publishes each change of a view once it is committed, with the view's version
 * ({@link Addresses#LIVE_ORDERS}). A socket is registered before its snapshot is read, gets the
 * snapshot ({@code query.snapshot}), then every change with a higher version, in order (see {@link
 * LiveSocket}). Every {@code live.check-interval-ms} the versions of the watched orders are
 * compared with the query side's, and a socket that missed its latest change (a message lost
 * between cluster nodes) gets it.
 *
 * <p>{@link #awaitView} is how {@code POST /api/orders} keeps its promise that the caller's next
 * read shows the order: the 201 goes out once the query side has committed the order's view.
 */
final class LiveOrders {
  private final Vertx vertx;
  private final LiveHandshake handshake;
  private final long checkIntervalMs;
  private final long readYourWritesMs;
  private final LongSupplier behindMs;
  private final Map<String, Set<OrderSocket>> sockets = new HashMap<>();
  private final Map<String, List<Promise<Void>>> awaiting = new HashMap<>();

  /** What an order id looks like: a socket for anything else is not worth waiting on. */
  private static final Pattern ORDER_ID =
      Pattern.compile("\\p{XDigit}{8}(-\\p{XDigit}{4}){3}-\\p{XDigit}{12}");

  /** How long {@link #awaitView} waits for a new order's view before it asks the query side. */
  static final long ASK_AFTER_MS = 250;

  /** Orders whose view was published lately, oldest first: an await may come after the view. */
  private final Map<String, Long> recent =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
          return size() > 10_000;
        }
      };

  private final Gauge gauge;

  /** The versions the query side reported at the last check, by order id. */
  private Map<String, Long> reported = Map.of();

  private MessageConsumer<String> feed;
  private long checkTimer = -1;

  /**
   * @param readYourWritesMs how long a socket for an order with no view yet waits for it (see
   *     {@link #snapshot})
   * @param behindMs how far behind the consumers are now (see {@link Admission#behindMs}): such a
   *     socket waits that much longer
   */
  LiveOrders(
      Vertx vertx,
      LiveHandshake handshake,
      long checkIntervalMs,
      long readYourWritesMs,
      LongSupplier behindMs) {
    this.vertx = vertx;
    this.handshake = handshake;
    this.checkIntervalMs = checkIntervalMs;
    this.readYourWritesMs = readYourWritesMs;
    this.behindMs = behindMs;
    this.gauge =
        Gauge.builder("baedal.websocket.sessions", this, LiveOrders::openSessions)
            .description("open order WebSocket sessions")
            .register(Meters.registry());
  }

  Future<Void> start() {
    feed = vertx.eventBus().consumer(Addresses.LIVE_ORDERS, this::changed);
    checkTimer = vertx.setPeriodic(checkIntervalMs, id -> check());
    return feed.completion();
  }

  Future<Void> stop() {
    Meters.registry().remove(gauge);
    vertx.cancelTimer(checkTimer);
    sockets.values().forEach(set -> set.forEach(s -> s.ws().close()));
    sockets.clear();
    return feed == null ? Future.succeededFuture() : feed.unregister();
  }

  /** How many sockets are open (for tests and metrics). */
  int openSessions() {
    return sockets.values().stream().mapToInt(Set::size).sum();
  }

  /**
   * Completes once the query side has committed a view of {@code orderId}, or after {@code
   * timeoutMs} (then it fails: the caller decides what a slow read side means).
   *
   * <p>The view's publication normally completes it. A view committed before this await was
   * published before it too, and {@link #recent} has it, unless that publication was lost (between
   * cluster nodes) or forgotten (10,000 orders later, or before a restart). So the query side is
   * asked at once for an order placed before ({@code replayed}), and for a new one only after
   * {@link #ASK_AFTER_MS}: a new order's view is still to come in all but those cases, and an ask
   * for every order would cost a read of the views per order placed.
   */
  Future<Void> awaitView(String orderId, boolean replayed, long timeoutMs) {
    if (recent.containsKey(orderId)) {
      return Future.succeededFuture();
    }
    Promise<Void> seen = Promise.promise();
    awaiting.computeIfAbsent(orderId, k -> new ArrayList<>()).add(seen);
    long timer =
        vertx.setTimer(
            timeoutMs,
            id -> {
              List<Promise<Void>> list = awaiting.get(orderId);
              if (list != null && list.remove(seen) && list.isEmpty()) {
                awaiting.remove(orderId);
              }
              seen.tryFail("the order's view did not appear within " + timeoutMs + " ms");
            });
    long askAfterMs = replayed ? 1 : Math.min(ASK_AFTER_MS, timeoutMs / 2 + 1);
    long ask = vertx.setTimer(askAfterMs, id -> askVersion(orderId, seen));
    return seen.future()
        .onComplete(
            ar -> {
              vertx.cancelTimer(timer);
              vertx.cancelTimer(ask);
            });
  }

  private void askVersion(String orderId, Promise<Void> seen) {
    if (seen.future().isComplete()) {
      return;
    }
    vertx
        .eventBus()
        .<JsonObject>request(
            Addresses.QUERY_VERSIONS,
            new JsonObject().put("orderIds", new JsonArray().add(orderId)))
        .onSuccess(
            reply -> {
              if (reply.body().getLong(orderId, 0L) > 0) {
                seen.tryComplete();
              }
            });
  }

  /** Handles the upgrade request of {@code /ws/orders/{orderId}}. */
  void connect(RoutingContext ctx) {
    String orderId = ctx.pathParam("orderId");
    handshake.authenticate(ctx, null).onSuccess(user -> open(ctx, user, orderId));
  }

  private void open(RoutingContext ctx, User user, String orderId) {
    JsonObject caller =
        new JsonObject()
            .put("orderId", orderId)
            .put("role", user.principal().getString("role"))
            .put("subject", user.principal().getString("sub"));
    OrderSocket socket = new OrderSocket(orderId, caller);
    sockets.computeIfAbsent(orderId, k -> new LinkedHashSet<>()).add(socket);
    // the snapshot is also the access check: a refusal is a plain 404 before any upgrade
    snapshot(caller)
        .onFailure(
            err -> {
              remove(socket);
              ctx.fail(err);
            })
        .onSuccess(
            snapshot ->
                handshake
                    .upgrade(ctx, user, () -> remove(socket))
                    .onFailure(err -> remove(socket))
                    .onSuccess(
                        ws -> {
                          socket.attach(ws);
                          socket.send(snapshot.encode());
                          socket.resume(Map.of(orderId, snapshot.getLong("version")));
                        }));
  }

  /**
   * The order's current view as a live message. An order with no view yet may be one whose 201 went
   * out after {@code read-your-writes.timeout-ms} with the query side behind: its view is waited
   * for as long again, and as long as the consumers are behind on top (a backlog can overshoot
   * admission's bound), before the 404, so its customer's socket does not fail where a read a
   * moment later would succeed. (The wait ends the moment the view is committed; an order that does
   * not exist costs a pending timer, no more.)
   */
  private Future<JsonObject> snapshot(JsonObject caller) {
    return ask(caller)
        .recover(
            err ->
                err instanceof ReplyException re
                        && re.failureCode() == 404
                        && ORDER_ID.matcher(caller.getString("orderId")).matches()
                    ? awaitView(
                            caller.getString("orderId"),
                            false,
                            readYourWritesMs + behindMs.getAsLong())
                        .transform(
                            seen -> seen.succeeded() ? ask(caller) : Future.failedFuture(err))
                    : Future.failedFuture(err));
  }

  private Future<JsonObject> ask(JsonObject caller) {
    return vertx
        .eventBus()
        .<JsonObject>request(Addresses.QUERY_SNAPSHOT, caller)
        .map(Message::body);
  }

  private void remove(OrderSocket socket) {
    Set<OrderSocket> set = sockets.get(socket.orderId);
    if (set != null && set.remove(socket) && set.isEmpty()) {
      sockets.remove(socket.orderId);
    }
  }

  private void changed(Message<String> message) {
    String orderId = message.headers().get(LiveFeed.KEY);
    long version = Long.parseLong(message.headers().get(LiveFeed.VERSION));
    recent.put(orderId, version);
    List<Promise<Void>> waiting = awaiting.remove(orderId);
    if (waiting != null) {
      waiting.forEach(Promise::tryComplete);
    }
    Set<OrderSocket> set = sockets.get(orderId);
    if (set != null) {
      for (OrderSocket s : List.copyOf(set)) {
        s.change(orderId, version, message.body());
      }
    }
  }

  /**
   * Sockets that missed a change get a fresh snapshot. Missed means: still behind the version the
   * query side reported at the check before, a whole interval ago. A change committed since may
   * still be on its way over the event bus, and a snapshot sent before it arrived would skip it
   * (the socket would go from version 1 to 3, and 2 would come too late), so it is not missed yet.
   */
  private void check() {
    if (sockets.isEmpty()) {
      reported = Map.of();
      return;
    }
    Map<String, Long> due = reported;
    JsonArray ids = new JsonArray(new ArrayList<>(sockets.keySet()));
    vertx
        .eventBus()
        .<JsonObject>request(Addresses.QUERY_VERSIONS, new JsonObject().put("orderIds", ids))
        .onSuccess(
            reply -> {
              Map<String, Long> now = new HashMap<>();
              reply.body().forEach(e -> now.put(e.getKey(), ((Number) e.getValue()).longValue()));
              reported = now;
              due.forEach(
                  (orderId, version) -> {
                    Set<OrderSocket> set = sockets.get(orderId);
                    if (set != null) {
                      set.stream().filter(s -> s.version(orderId) < version).forEach(this::refresh);
                    }
                  });
            });
  }

  private void refresh(OrderSocket socket) {
    socket.pause();
    vertx
        .eventBus()
        .<JsonObject>request(Addresses.QUERY_SNAPSHOT, socket.caller)
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                JsonObject snapshot = ar.result().body();
                if (socket.saw(socket.orderId, snapshot.getLong("version"))) {
                  socket.send(snapshot.encode());
                }
              }
              socket.resume(Map.of());
            });
  }

  /** One subscriber of one order. */
  private static final class OrderSocket extends LiveSocket {
    private final String orderId;
    private final JsonObject caller;

    OrderSocket(String orderId, JsonObject caller) {
      this.orderId = orderId;
      this.caller = caller;
    }

    @Override
    void deliver(String key, long version, Object body) {
      send((String) body);
    }
  }
}
