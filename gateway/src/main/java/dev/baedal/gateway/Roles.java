package dev.baedal.gateway;

import dev.baedal.platform.http.ProblemException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** Role checks on the authenticated user (the JWT's {@code role} and {@code sub} claims). */
final class Roles {
  private Roles() {}

  /** A handler that lets only {@code role} through: anyone else authenticated gets 403. */
  static Handler<RoutingContext> require(String role) {
    return ctx -> {
      if (role.equals(role(ctx))) {
        ctx.next();
      } else {
        ctx.fail(
            new ProblemException(
                403, "Forbidden", "this action is for the " + role + " role only"));
      }
    };
  }

  static String role(RoutingContext ctx) {
    return ctx.user() == null ? null : ctx.user().principal().getString("role");
  }

  /** The customer, store or rider id of the caller. */
  static String subject(RoutingContext ctx) {
    return ctx.user().principal().getString("sub");
  }
}
