package dev.baedal.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.function.LongConsumer;

/**
 * The customers: each order placed is watched on {@code /ws/orders/{id}}, whose messages time the
 * WebSocket and notification lags, and its receipt confirmed once it shows DELIVERED. The socket is
 * closed once the order is COMPLETED and its "order paid" notification was seen sent.
 */
final class Customers {
  /** How long after COMPLETED a customer keeps watching for the "order paid" notification. */
  private static final long NOTIFICATION_GRACE_MS = 10_000;

  private final Vertx vertx;
  private final Clients clients;
  private final Orders orders;
  private final LongConsumer completed;
  private int watchingMeasured;

  /**
   * @param completed told the time (nanoTime) each order was seen COMPLETED
   */
  Customers(Vertx vertx, Clients clients, Orders orders, LongConsumer completed) {
    this.vertx = vertx;
    this.clients = clients;
    this.orders = orders;
    this.completed = completed;
  }

  /** How many orders of the measured window are still watched. */
  int watchingMeasured() {
    return watchingMeasured;
  }

  /** Watches {@code o} on its WebSocket, and confirms it once it is delivered. */
  void watch(Lifecycle o) {
    if (o.measured) {
      watchingMeasured++;
    }
    clients
        .socket(o, "/ws/orders/" + o.orderId + "?token=" + o.cast.customerToken())
        .onFailure(err -> finish(o))
        .onSuccess(
            ws -> {
              o.socket = ws;
              ws.closeHandler(v -> finish(o));
              ws.textMessageHandler(text -> shown(o, new JsonObject(text)));
            });
  }

  private void shown(Lifecycle o, JsonObject message) {
    long now = System.nanoTime();
    String status = message.getString("status");
    clients.stats.lag(o, "websocket", o.shown(status, now));
    if (!o.notified) {
      long sent = Lifecycle.paidNotificationSent(message.getJsonObject("view"));
      if (sent > 0) {
        o.notified = true;
        if (o.measured) {
          clients.stats.lag("notification", Math.max(0, sent - o.createdAtMs) * 1_000_000);
        }
      }
    }
    if ("DELIVERED".equals(status) && o.step("confirm")) {
      clients
          .customer(o, o.cast.customerToken(), "confirm")
          .onSuccess(
              r -> {
                if (r.statusCode() == 200) {
                  clients.stats.lag(o, "websocket", o.answered("COMPLETED", System.nanoTime()));
                }
              });
    }
    if ("COMPLETED".equals(status) && !o.completed) {
      o.completed = true;
      if (o.measured) {
        clients.stats.completed(now - o.placedNanos);
      }
      completed.accept(now);
      if (o.notified) {
        o.socket.close();
      } else {
        vertx.setTimer(NOTIFICATION_GRACE_MS, t -> o.socket.close());
      }
    }
    if (o.completed && o.notified && !o.socket.isClosed()) {
      o.socket.close();
    }
  }

  private void finish(Lifecycle o) {
    if (o.measured) {
      watchingMeasured--;
    }
    if (o.completed) {
      orders.remove(o);
      if (o.measured && !o.notified) {
        clients.stats.notificationMissing();
      }
    }
  }
}
