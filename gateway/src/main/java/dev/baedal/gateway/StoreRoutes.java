package dev.baedal.gateway;

import dev.baedal.platform.Addresses;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/** A store owner's operations: the store's orders, an action on one, opening and closing. */
final class StoreRoutes {
  private static final Set<String> ACTIONS =
      Set.of("accept", "reject", "start-cooking", "finish-cooking");

  private final Forwarder forward;
  private final OrderAction action;

  StoreRoutes(Forwarder forward) {
    this.forward = forward;
    this.action = new OrderAction(forward, "store", ACTIONS, Addresses.STORE_ACTION);
  }

  void orders(RoutingContext ctx) {
    forward.json(
        ctx,
        Addresses.STORE_ORDERS,
        new JsonObject()
            .put("storeId", Roles.subject(ctx))
            .put("status", status(ctx.queryParams().get("status"))),
        200);
  }

  void action(RoutingContext ctx) {
    action.handle(ctx, (name, body) -> new JsonObject().put("reason", body.getValue("reason")));
  }

  void open(RoutingContext ctx) {
    forward.json(
        ctx,
        Addresses.STORE_OPEN,
        new JsonObject()
            .put("storeId", Roles.subject(ctx))
            .put("open", OrderAction.body(ctx).getValue("open")),
        200);
  }

  /**
   * A store order's status for {@code ?status=}: the store's own names, or {@code PAID}, what the
   * customer sees of a new order (the only customer status that is one store status).
   */
  private static String status(String status) {
    return "PAID".equals(status) ? "NEW" : status;
  }
}
