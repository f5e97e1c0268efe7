package dev.baedal.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;

/**
 * Sends a command or query to a context over the event bus with a timeout: a context that does not
 * answer becomes a 503 problem, never a hanging request.
 */
final class Forwarder {
  private final Vertx vertx;
  private final DeliveryOptions defaults;

  Forwarder(Vertx vertx, long timeoutMs) {
    this.vertx = vertx;
    this.defaults = new DeliveryOptions().setSendTimeout(timeoutMs);
  }

  <T> Future<T> request(String address, Object body, DeliveryOptions options) {
    return vertx.eventBus().<T>request(address, body, options).map(m -> m.body());
  }

  /** Forwards and answers the HTTP request with the reply as JSON and {@code status}. */
  void json(RoutingContext ctx, String address, Object body, int status) {
    request(address, body, defaults)
        .onSuccess(
            reply ->
                ctx.response()
                    .setStatusCode(status)
                    .putHeader("Content-Type", "application/json")
                    .end(Json.encode(reply)))
        .onFailure(ctx::fail);
  }
}
