package dev.baedal.gateway;

import dev.baedal.contract.OrderView;
import dev.baedal.platform.Addresses;
import dev.baedal.platform.Topics;
import dev.baedal.platform.events.CloudEvent;
import dev.baedal.platform.http.ProblemException;
import dev.baedal.platform.http.Problems;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /ws/orders/{orderId}}: live order status over WebSocket.
 *
 * <p>On connect the session gets the order's projection state from the query side and sends the
 * current view; from then on it applies the events the Kafka to event-bus bridge republishes for
 * that order with the same projection as the query side, and sends one message per change. Events
 * that arrive while the snapshot is on its way are buffered and applied after it; the projection is
 * idempotent, so an event in both the snapshot and the stream counts once. A closed socket leaves
 * nothing behind.
 */
final class LiveOrders {
  private static final Logger log = LoggerFactory.getLogger(LiveOrders.class);

  private final Vertx vertx;
  private final Map<String, Set<Session>> sessions = new HashMap<>();
  private final List<MessageConsumer<String>> consumers = new ArrayList<>();

  private final io.micrometer.core.instrument.Gauge gauge;

  LiveOrders(Vertx vertx) {
    this.vertx = vertx;
    this.gauge =
        io.micrometer.core.instrument.Gauge.builder(
                "baedal.websocket.sessions", this, LiveOrders::openSessions)
            .description("open order WebSocket sessions")
            .register(dev.baedal.platform.metrics.Meters.registry());
  }

  /** Listens to the bridge's addresses for every event topic. */
  Future<Void> start() {
    List<Future<Void>> ready = new ArrayList<>();
    for (String topic : Topics.EVENT_TOPICS) {
      MessageConsumer<String> c =
          vertx
              .eventBus()
              .consumer(Addresses.live(topic), m -> dispatch(m.headers().get("key"), m.body()));
      consumers.add(c);
      ready.add(c.completion());
    }
    return Future.all(ready).mapEmpty();
  }

  /** How many sockets are open (for tests and metrics). */
  int openSessions() {
    return sessions.values().stream().mapToInt(Set::size).sum();
  }

  /** Handles the upgrade request of an authenticated {@code user}. */
  void connect(RoutingContext ctx, User user, String orderId) {
    JsonObject caller =
        new JsonObject()
            .put("orderId", orderId)
            .put("role", user.principal().getString("role"))
            .put("subject", user.principal().getString("sub"));
    // check access before upgrading, so a refusal is a plain 404 problem
    vertx
        .eventBus()
        .<JsonObject>request(Addresses.QUERY_STATE, caller)
        .onFailure(ctx::fail)
        .onSuccess(
            checked ->
                ctx.request()
                    .toWebSocket()
                    .onFailure(
                        err ->
                            ctx.fail(
                                new ProblemException(
                                    400,
                                    "Bad Request",
                                    "the WebSocket handshake failed: " + err.getMessage())))
                    .onSuccess(ws -> open(ws, orderId, caller)));
  }

  private void open(ServerWebSocket ws, String orderId, JsonObject caller) {
    Session session = new Session(ws, orderId);
    sessions.computeIfAbsent(orderId, k -> new LinkedHashSet<>()).add(session);
    ws.closeHandler(v -> remove(session));
    ws.exceptionHandler(err -> ws.close());
    vertx
        .eventBus()
        .<JsonObject>request(Addresses.QUERY_STATE, caller)
        .onSuccess(m -> session.snapshot(m.body()))
        .onFailure(
            err -> {
              ws.close((short) 1011, Problems.asProblem(err).detail());
              remove(session);
            });
  }

  private void remove(Session session) {
    Set<Session> set = sessions.get(session.orderId);
    if (set != null) {
      set.remove(session);
      if (set.isEmpty()) {
        sessions.remove(session.orderId);
      }
    }
  }

  private void dispatch(String key, String record) {
    Set<Session> set = key == null ? null : sessions.get(key);
    if (set == null) {
      return;
    }
    CloudEvent event;
    try {
      event = CloudEvent.parse(record);
    } catch (IllegalArgumentException e) {
      return;
    }
    if (OrderView.concerns(event)) {
      for (Session s : List.copyOf(set)) {
        s.on(event);
      }
    }
  }

  Future<Void> stop() {
    dev.baedal.platform.metrics.Meters.registry().remove(gauge);
    consumers.forEach(MessageConsumer::unregister);
    sessions.values().forEach(set -> set.forEach(s -> s.ws.close()));
    sessions.clear();
    return Future.succeededFuture();
  }

  /** One subscriber: its socket and its copy of the order's projection. */
  private static final class Session {
    private final ServerWebSocket ws;
    private final String orderId;
    private JsonObject state;
    private final List<CloudEvent> early = new ArrayList<>();

    Session(ServerWebSocket ws, String orderId) {
      this.ws = ws;
      this.orderId = orderId;
    }

    void snapshot(JsonObject snapshot) {
      state = snapshot;
      send(state.getString("updatedAt"));
      for (CloudEvent e : early) {
        on(e);
      }
      early.clear();
    }

    void on(CloudEvent event) {
      if (state == null) {
        early.add(event);
        return;
      }
      JsonObject next = OrderView.apply(state, event);
      if (next != state) {
        state = next;
        send(event.time().toString());
      }
    }

    private void send(String at) {
      JsonObject view = OrderView.view(state);
      if (view == null || ws.isClosed()) {
        return;
      }
      ws.writeTextMessage(
          new JsonObject()
              .put("orderId", orderId)
              .put("status", view.getString("status"))
              .put("at", at)
              .put("view", view)
              .encode());
    }
  }
}
