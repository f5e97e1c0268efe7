package dev.baedal.gateway;

import dev.baedal.platform.Addresses;
import dev.baedal.platform.http.ProblemException;
import dev.baedal.platform.http.Violation;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** A rider's operations: deliveries nearby, their own, an action on one. */
final class RiderRoutes {
  private static final Set<String> ACTIONS = Set.of("claim", "pickup", "deliver");

  private final Forwarder forward;
  private final OrderAction action;

  RiderRoutes(Forwarder forward) {
    this.forward = forward;
    this.action = new OrderAction(forward, "rider", ACTIONS, Addresses.RIDER_ACTION);
  }

  void nearby(RoutingContext ctx) {
    forward.json(
        ctx,
        Addresses.RIDER_NEARBY,
        new JsonObject()
            .put("riderId", Roles.subject(ctx))
            .put("lat", ctx.queryParams().get("lat"))
            .put("lng", ctx.queryParams().get("lng")),
        200);
  }

  void mine(RoutingContext ctx) {
    forward.json(
        ctx, Addresses.RIDER_MINE, new JsonObject().put("riderId", Roles.subject(ctx)), 200);
  }

  void action(RoutingContext ctx) {
    action.handle(ctx, RiderRoutes::position);
  }

  /**
   * The rider's position from the body; a claim needs it (the contract cannot say so: the body's
   * schema is the same for every action).
   */
  private static JsonObject position(String action, JsonObject body) {
    if ("claim".equals(action)) {
      List<Violation> missing = new ArrayList<>();
      for (String field : List.of("lat", "lng")) {
        if (body.getValue(field) == null) {
          missing.add(Violation.pointer("/" + field, Violation.REQUIRED));
        }
      }
      if (!missing.isEmpty()) {
        throw ProblemException.invalid(missing);
      }
    }
    return new JsonObject().put("lat", body.getValue("lat")).put("lng", body.getValue("lng"));
  }
}
