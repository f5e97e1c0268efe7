package dev.baedal.bench;

import io.vertx.core.Future;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A rider who sits on {@code /ws/rider}, tells where it is, claims what is offered and, on its own
 * deliveries' pushes, picks the food up once it is cooked and delivers it. A claim another rider
 * won (409) is expected and counted apart from errors.
 */
final class Rider {
  private final Clients clients;
  private final Orders orders;
  private final Cast cast;

  Rider(Clients clients, Orders orders, Cast cast) {
    this.clients = clients;
    this.orders = orders;
    this.cast = cast;
  }

  Future<Void> start() {
    return clients
        .socket(null, "/ws/rider?token=" + cast.riderToken())
        .map(
            ws -> {
              ws.textMessageHandler(this::pushed);
              here(ws);
              return null;
            });
  }

  private void here(WebSocket ws) {
    ws.writeTextMessage(cast.riderLocation().encode());
  }

  private void pushed(String text) {
    long now = System.nanoTime();
    JsonObject message = new JsonObject(text);
    switch (String.valueOf(message.getString("type"))) {
      case "offers" -> {
        JsonArray offers = message.getJsonArray("offers");
        for (int i = 0; i < offers.size(); i++) {
          offered(offers.getJsonObject(i).getString("orderId"), now);
        }
      }
      case "offer" -> offered(message.getJsonObject("offer").getString("orderId"), now);
      case "mine" -> mine(message.getJsonObject("delivery"), now);
      default -> {
        // taken, withdrawn: nothing to do
      }
    }
  }

  private void offered(String orderId, long now) {
    orders.whenKnown(
        orderId,
        o -> {
          clients.stats.lag(o, "work", o.work("offer", true, now));
          if (o.step("claim by " + cast.rider()) && !o.steps.contains("assigned")) {
            clients
                .rider(o, cast.riderToken(), "claim", cast.riderLocation())
                .onSuccess(
                    r -> {
                      if (r.statusCode() == 200) {
                        o.step("assigned");
                        answered(o, "RIDER_ASSIGNED");
                      }
                    });
          }
        });
  }

  private void mine(JsonObject delivery, long now) {
    String status = delivery.getString("status");
    boolean cooked = delivery.getBoolean("cooked", false);
    orders.whenKnown(
        delivery.getString("orderId"),
        o -> {
          if (!cooked) {
            o.step("waiting for the food");
          } else if (o.steps.contains("waiting for the food")) {
            // the rider was waiting: this push is how it hears the food is ready
            clients.stats.lag(o, "work", o.work("cooked", true, now));
          }
          if ("ASSIGNED".equals(status) && cooked && o.step("pickup")) {
            command(o, "pickup", "PICKED_UP");
          } else if ("PICKED_UP".equals(status) && o.step("deliver")) {
            command(o, "deliver", "DELIVERED");
          }
        });
  }

  private void command(Lifecycle o, String step, String status) {
    clients
        .rider(o, cast.riderToken(), step, null)
        .onSuccess(
            r -> {
              if (r.statusCode() == 200) {
                answered(o, status);
              }
            });
  }

  private void answered(Lifecycle o, String status) {
    clients.stats.lag(o, "websocket", o.answered(status, System.nanoTime()));
  }
}
