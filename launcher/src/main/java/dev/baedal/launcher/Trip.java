package dev.baedal.launcher;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One order of {@code baedal bench} from the moment it was placed to the customer's confirmation:
 * the customer waits for it in the query view, then watches it on a WebSocket while the store, the
 * rider and finally the customer act on it. Each act is sent again while the context it goes to has
 * not seen the event before it yet (404 or 409): the system is eventually consistent.
 */
final class Trip {
  private static final long STEP_TIMEOUT_MS = 30_000;
  private static final long NOTIFICATION_GRACE_MS = 10_000;
  // polls and repeats come every 5 ms for the first 100 ms, then every 100 ms: fine-grained where
  // the lags are expected, without a slow system drowning in its own clients' polls
  private static final long POLL_MS = 5;
  private static final long SLOW_POLL_MS = 100;
  private static final long FAST_POLLING_NS = TimeUnit.MILLISECONDS.toNanos(100);

  /** The parts in one order's life, and the order they place. */
  record Cast(
      String customer,
      String owner,
      String rider,
      JsonObject riderLocation,
      JsonObject order,
      String storeId) {

    static Cast hanokChicken(String customer, String owner, String rider) {
      return new Cast(
          customer,
          owner,
          rider,
          new JsonObject().put("lat", 37.4985).put("lng", 127.0280),
          order("store-1", "chicken-fried", "cola", 37.5006, 127.0364),
          "store-1");
    }

    static Cast seoulBibimbap(String customer, String owner, String rider) {
      return new Cast(
          customer,
          owner,
          rider,
          new JsonObject().put("lat", 37.5745).put("lng", 126.9855),
          order("store-2", "bibimbap-dolsot", "sikhye", 37.5700, 126.9920),
          "store-2");
    }

    private static JsonObject order(
        String storeId, String dish, String drink, double lat, double lng) {
      return new JsonObject()
          .put("storeId", storeId)
          .put(
              "items",
              new JsonArray()
                  .add(new JsonObject().put("menuId", dish).put("quantity", 1))
                  .add(new JsonObject().put("menuId", drink).put("quantity", 1)))
          .put(
              "deliveryAddress",
              new JsonObject().put("text", "서울 배달 벤치 1").put("lat", lat).put("lng", lng))
          .put("express", false)
          .put(
              "payment",
              new JsonObject().put("method", "CARD").put("cardNumber", "4242424242424242"));
    }
  }

  private final Vertx vertx;
  private final WebClient http;
  private final WebSocketClient sockets;
  private final Cast cast;
  private final String orderId;
  private final long placedAt;
  private final long placedAtWall;
  private final BenchStats stats;
  private final Map<String, Long> seen = new HashMap<>();
  private final Map<String, Promise<Long>> awaited = new HashMap<>();
  private WebSocket socket;

  /**
   * An order placed at {@code placedAt} (nanoTime of its 201); {@code stats} is null when it was
   * placed outside the measured window.
   */
  Trip(
      Vertx vertx,
      WebClient http,
      WebSocketClient sockets,
      Cast cast,
      String orderId,
      long placedAt,
      BenchStats stats) {
    this.vertx = vertx;
    this.http = http;
    this.sockets = sockets;
    this.cast = cast;
    this.orderId = orderId;
    this.placedAt = placedAt;
    this.placedAtWall =
        System.currentTimeMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - placedAt);
    this.stats = stats;
  }

  Future<Void> run() {
    String store = "/api/store/orders/" + orderId;
    String delivery = "/api/rider/deliveries/" + orderId;
    return inView()
        .compose(v -> watch())
        .compose(v -> act(cast.owner(), store + "/accept", null, "ACCEPTED"))
        .compose(v -> act(cast.owner(), store + "/start-cooking", null, "COOKING"))
        .compose(
            v -> act(cast.rider(), delivery + "/claim", cast.riderLocation(), "RIDER_ASSIGNED"))
        .compose(v -> act(cast.owner(), store + "/finish-cooking", null, "COOKED"))
        .compose(v -> act(cast.rider(), delivery + "/pickup", null, "PICKED_UP"))
        .compose(v -> act(cast.rider(), delivery + "/deliver", null, "DELIVERED"))
        .compose(
            v -> act(cast.customer(), "/api/orders/" + orderId + "/confirm", null, "COMPLETED"))
        .onSuccess(
            v -> {
              if (stats != null) {
                stats.completed(System.nanoTime() - placedAt);
              }
            })
        .onFailure(
            err -> {
              if (stats != null) {
                stats.failed(err.getMessage());
              }
            })
        .eventually(() -> socket == null ? Future.succeededFuture() : socket.close())
        .compose(v -> notification());
  }

  /** Polls the query side until the order is there: the read-model lag. */
  private Future<Void> inView() {
    return untilAnswered(
            () -> request(http.get("/api/orders/" + orderId), cast.customer()).send(),
            Set.of(200),
            Set.of(404),
            placedAt,
            "the order did not show in the query view")
        .map(
            answeredAt -> {
              if (stats != null) {
                stats.viewLag(answeredAt - placedAt);
              }
              return null;
            });
  }

  private static long pollDelay(long since) {
    return System.nanoTime() - since < FAST_POLLING_NS ? POLL_MS : SLOW_POLL_MS;
  }

  /**
   * Sends a request again while it is answered with one of {@code notYet} (for at most the step
   * timeout), and completes with the time the answer in {@code done} came.
   */
  private Future<Long> untilAnswered(
      Supplier<Future<? extends HttpResponse<?>>> call,
      Set<Integer> done,
      Set<Integer> notYet,
      long since,
      String what) {
    Promise<Long> answered = Promise.promise();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STEP_TIMEOUT_MS);
    repeat(call, done, notYet, since, deadline, what, answered);
    return answered.future();
  }

  private void repeat(
      Supplier<Future<? extends HttpResponse<?>>> call,
      Set<Integer> done,
      Set<Integer> notYet,
      long since,
      long deadline,
      String what,
      Promise<Long> answered) {
    call.get()
        .onComplete(
            ar -> {
              int status = ar.succeeded() ? ar.result().statusCode() : 0;
              if (done.contains(status)) {
                answered.complete(System.nanoTime());
              } else if (notYet.contains(status) && System.nanoTime() < deadline) {
                vertx.setTimer(
                    pollDelay(since),
                    t -> repeat(call, done, notYet, since, deadline, what, answered));
              } else {
                error(status);
                answered.fail(what + " (" + status + ")");
              }
            });
  }

  /** The customer's WebSocket on the order; every message is timed on arrival. */
  private Future<Void> watch() {
    return sockets
        .connect(
            new WebSocketConnectOptions()
                .setURI("/ws/orders/" + orderId + "?token=" + cast.customer()))
        .onFailure(err -> error(0))
        .map(
            ws -> {
              socket = ws;
              ws.textMessageHandler(this::onMessage);
              return null;
            });
  }

  private void onMessage(String text) {
    long now = System.nanoTime();
    JsonObject message = new JsonObject(text);
    String status = message.getString("status");
    if (seen.putIfAbsent(status, now) == null) {
      Promise<Long> waiting = awaited.remove(status);
      if (waiting != null) {
        waiting.complete(now);
      }
    }
  }

  /** When the notifier sent the "order paid" notification (epoch ms), or 0 if it has not yet. */
  private static long paidNotificationSent(JsonObject view) {
    JsonArray notifications = view == null ? null : view.getJsonArray("notifications");
    if (notifications == null) {
      return 0;
    }
    for (int i = 0; i < notifications.size(); i++) {
      JsonObject n = notifications.getJsonObject(i);
      if ("order_paid".equals(n.getString("type")) && "sent".equals(n.getString("status"))) {
        return Instant.parse(n.getString("at")).toEpochMilli();
      }
    }
    return 0;
  }

  /**
   * Sends a command until it is accepted, then waits for the WebSocket message with the status it
   * leads to: the WebSocket lag runs from the command's answer to that message. A 404 or 409 means
   * the context has not seen the event the command depends on yet.
   */
  private Future<Void> act(String token, String path, JsonObject body, String status) {
    HttpRequest<?> request = request(http.post(path), token);
    return untilAnswered(
            () -> body == null ? request.send() : request.sendJsonObject(body),
            Set.of(200, 202),
            Set.of(404, 409),
            System.nanoTime(),
            path + " was refused")
        .compose(
            ackAt ->
                status(status)
                    .map(
                        shownAt -> {
                          if (stats != null) {
                            stats.webSocketLag(Math.max(0, shownAt - ackAt));
                          }
                          return null;
                        }));
  }

  /** When the WebSocket showed {@code status} (now, or once it does). */
  private Future<Long> status(String status) {
    Long at = seen.get(status);
    if (at != null) {
      return Future.succeededFuture(at);
    }
    Promise<Long> shown = Promise.promise();
    awaited.put(status, shown);
    long timer =
        vertx.setTimer(
            STEP_TIMEOUT_MS,
            t -> {
              if (awaited.remove(status) != null) {
                shown.fail("no WebSocket message with " + status);
              }
            });
    return shown.future().onComplete(ar -> vertx.cancelTimer(timer));
  }

  /**
   * The lag from the 201 to the notifier's "sent" receipt of the "order paid" notification, by the
   * receipt's own time (same machine, millisecond clock), read from the query view; it may still be
   * on its way, so the view is read again for a while.
   */
  private Future<Void> notification() {
    Promise<Void> done = Promise.promise();
    pollNotification(
        done, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(NOTIFICATION_GRACE_MS));
    return done.future();
  }

  private void pollNotification(Promise<Void> done, long deadline) {
    request(http.get("/api/orders/" + orderId), cast.customer())
        .send()
        .onComplete(
            ar -> {
              long sentAt =
                  ar.succeeded() && ar.result().statusCode() == 200
                      ? paidNotificationSent(ar.result().bodyAsJsonObject())
                      : 0;
              if (sentAt == 0 && System.nanoTime() < deadline) {
                vertx.setTimer(SLOW_POLL_MS * 2, t -> pollNotification(done, deadline));
                return;
              }
              if (stats != null) {
                if (sentAt == 0) {
                  stats.notificationMissing();
                } else {
                  stats.notificationLag(
                      TimeUnit.MILLISECONDS.toNanos(Math.max(0, sentAt - placedAtWall)));
                }
              }
              done.complete();
            });
  }

  private void error(int status) {
    if (stats != null) {
      stats.error(status);
    }
  }

  private static <T> HttpRequest<T> request(HttpRequest<T> request, String token) {
    return request.putHeader("Authorization", "Bearer " + token).timeout(STEP_TIMEOUT_MS);
  }
}
