package dev.baedal.bench;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A store owner who sits on {@code /ws/store} and acts on what is pushed: a new order is accepted,
 * an accepted one goes on the stove, a cooking one is finished. No timer, no polling.
 */
final class StoreOwner {
  private final Clients clients;
  private final Orders orders;
  private final Cast cast;

  StoreOwner(Clients clients, Orders orders, Cast cast) {
    this.clients = clients;
    this.orders = orders;
    this.cast = cast;
  }

  Future<Void> start() {
    return clients
        .socket(null, "/ws/store?token=" + cast.ownerToken())
        .map(
            ws -> {
              ws.textMessageHandler(this::pushed);
              return null;
            });
  }

  private void pushed(String text) {
    long now = System.nanoTime();
    JsonObject message = new JsonObject(text);
    if ("snapshot".equals(message.getString("type"))) {
      JsonArray all = message.getJsonArray("orders");
      for (int i = 0; i < all.size(); i++) {
        order(all.getJsonObject(i), now);
      }
    } else if ("order".equals(message.getString("type"))) {
      order(message.getJsonObject("order"), now);
    }
  }

  private void order(JsonObject order, long now) {
    String status = order.getString("status");
    orders.whenKnown(order.getString("orderId"), o -> act(o, status, now));
  }

  private void act(Lifecycle o, String status, long pushedAt) {
    switch (status) {
      case "NEW" -> {
        if (o.step("accept")) {
          // the order was placed at createdAt (this machine's clock): the owner hears of it now
          long lagMs = System.currentTimeMillis() - o.createdAtMs;
          if (o.measured) {
            clients.stats.lag("work", Math.max(0, lagMs) * 1_000_000);
          }
          command(o, "accept", "ACCEPTED", null);
        }
      }
      case "ACCEPTED" -> {
        if (o.step("cook")) {
          command(o, "start-cooking", "COOKING", "offer");
        }
      }
      case "COOKING" -> {
        if (o.step("finish")) {
          command(o, "finish-cooking", "COOKED", "cooked");
        }
      }
      default -> {
        // nothing left for the store to do
      }
    }
  }

  /**
   * Sends an owner's command; its answer starts the WebSocket lag of {@code status} and, if the
   * command makes work for a rider, the work lag {@code work}.
   */
  private void command(Lifecycle o, String step, String status, String work) {
    clients
        .store(o, cast.ownerToken(), step)
        .onSuccess(
            r -> {
              if (r.statusCode() != 200) {
                return;
              }
              long now = System.nanoTime();
              clients.stats.lag(o, "websocket", o.answered(status, now));
              if (work != null) {
                clients.stats.lag(o, "work", o.work(work, false, now));
              }
            });
  }
}
