package dev.baedal.gateway;

import dev.baedal.platform.Addresses;
import dev.baedal.platform.http.ProblemException;
import dev.baedal.platform.http.Violation;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** A customer's orders: placing, listing, reading, cancelling, confirming and modifying one. */
final class OrderRoutes {
  private final Forwarder forward;
  private final Accounts accounts;
  private final PaymentCards cards;
  private final LiveOrders live;
  private final Admission admission;
  private final DeliveryOptions placeOptions;
  private final long readYourWritesMs;

  /**
   * {@code placeTimeoutMs} is how long placing may take (it waits for the payment, breaker and
   * all); {@code readYourWritesMs} how long the 201 waits for the order's view.
   */
  OrderRoutes(
      Forwarder forward,
      Accounts accounts,
      PaymentCards cards,
      LiveOrders live,
      Admission admission,
      long placeTimeoutMs,
      long readYourWritesMs) {
    this.forward = forward;
    this.accounts = accounts;
    this.admission = admission;
    this.cards = cards;
    this.live = live;
    this.placeOptions = new DeliveryOptions().setSendTimeout(placeTimeoutMs);
    this.readYourWritesMs = readYourWritesMs;
  }

  void list(RoutingContext ctx) {
    forward.json(ctx, Addresses.QUERY_LIST, caller(ctx), 200);
  }

  void get(RoutingContext ctx) {
    forward.json(
        ctx, Addresses.QUERY_GET, caller(ctx).put("orderId", ctx.pathParam("orderId")), 200);
  }

  void cancel(RoutingContext ctx) {
    forward.json(ctx, Addresses.ORDER_CANCEL, command(ctx), 202);
  }

  void confirm(RoutingContext ctx) {
    forward.json(ctx, Addresses.ORDER_CONFIRM, command(ctx), 200);
  }

  void modify(RoutingContext ctx) {
    forward.json(ctx, Addresses.ORDER_MODIFY, command(ctx).put("body", OrderAction.body(ctx)), 202);
  }

  /**
   * Places an order (one that admission control let in, see {@link Admission#gate}): forwarded to
   * the order context in one of the places admission control allows at once ({@link
   * Admission#withPlace}), and answered 201 once the order's view is committed on the query side,
   * so the caller's next read shows it (read your writes). The 201 waits rather than carrying a
   * consistency token for reads to wait on: then every reader (the socket, the order list, the
   * apps' own caches) would have to present the token, while this way any read after the 201 is
   * already right, and the wait is a few milliseconds while the query side keeps up (admission
   * control refuses new orders while it does not). If the view takes longer than {@code
   * readYourWritesMs} (the query side is down), the order exists and is paid: it is answered 201
   * all the same.
   */
  void place(RoutingContext ctx) {
    // the contract requires the header, not empty; a blank one is no key either
    String key = ctx.request().getHeader("Idempotency-Key");
    if (key.isBlank()) {
      ctx.fail(ProblemException.invalid(Violation.header("Idempotency-Key", Violation.NOT_BLANK)));
      return;
    }
    // the card number goes no further than this (only its seal does)
    JsonObject body = cards.sealed(ctx.body().asJsonObject());
    String customerId = Roles.subject(ctx);
    // the phone is looked up here, not carried in the token (the rider who claims gets it)
    admission
        .withPlace(
            () ->
                accounts
                    .customerPhone(customerId)
                    .compose(
                        phone ->
                            forward.<JsonObject>request(
                                Addresses.ORDER_PLACE,
                                new JsonObject()
                                    .put("customerId", customerId)
                                    .put("contactPhone", phone)
                                    .put("idempotencyKey", key)
                                    .put("body", body),
                                placeOptions)))
        .compose(
            reply ->
                live.awaitView(
                        reply.getJsonObject("order").getString("orderId"),
                        !reply.getBoolean("created"),
                        readYourWritesMs)
                    .otherwiseEmpty()
                    .map(reply))
        .onSuccess(reply -> placed(ctx, reply))
        .onFailure(ctx::fail);
  }

  private static void placed(RoutingContext ctx, JsonObject reply) {
    JsonObject order = reply.getJsonObject("order");
    if (!reply.getBoolean("created")) {
      ctx.response().putHeader("Idempotent-Replayed", "true");
    }
    ctx.response()
        .setStatusCode(201)
        .putHeader("Location", "/api/orders/" + order.getString("orderId"));
    ctx.json(order);
  }

  /** {role, subject} of the caller, for the query side to decide what they may see. */
  private static JsonObject caller(RoutingContext ctx) {
    return new JsonObject().put("role", Roles.role(ctx)).put("subject", Roles.subject(ctx));
  }

  /** {orderId, customerId} of a customer's request about one order. */
  private static JsonObject command(RoutingContext ctx) {
    return new JsonObject()
        .put("orderId", ctx.pathParam("orderId"))
        .put("customerId", Roles.subject(ctx));
  }
}
