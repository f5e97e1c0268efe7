package dev.baedal.gateway;

import dev.baedal.platform.http.ProblemException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * A role's action on an order, {@code POST .../{orderId}/{action}}: one of {@code actions} (else
 * 404), forwarded to {@code address} as {@code {<role>Id, orderId, action}} and what the details
 * function takes from the body (or the problem it throws).
 */
final class OrderAction {
  private final Forwarder forward;
  private final String role;
  private final Set<String> actions;
  private final String address;

  OrderAction(Forwarder forward, String role, Set<String> actions, String address) {
    this.forward = forward;
    this.role = role;
    this.actions = actions;
    this.address = address;
  }

  void handle(RoutingContext ctx, BiFunction<String, JsonObject, JsonObject> details) {
    String action = ctx.pathParam("action");
    if (!actions.contains(action)) {
      ctx.fail(ProblemException.notFound("no " + role + " action " + action));
      return;
    }
    JsonObject extra;
    try {
      extra = details.apply(action, body(ctx));
    } catch (ProblemException e) {
      ctx.fail(e);
      return;
    }
    forward.json(
        ctx,
        address,
        new JsonObject()
            .put(role + "Id", Roles.subject(ctx))
            .put("orderId", ctx.pathParam("orderId"))
            .put("action", action)
            .mergeIn(extra),
        200);
  }

  /** The JSON object body, or an empty one when there is none (the contract allows no other). */
  static JsonObject body(RoutingContext ctx) {
    if (ctx.body().length() == 0) {
      return new JsonObject();
    }
    JsonObject body = ctx.body().asJsonObject();
    return body == null ? new JsonObject() : body;
  }
}
