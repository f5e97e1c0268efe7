package dev.baedal.gateway;

import dev.baedal.contract.Districts;
import dev.baedal.contract.Reach;
import dev.baedal.platform.Addresses;
import dev.baedal.platform.Settings;
import dev.baedal.platform.db.Database;
import dev.baedal.platform.health.Readiness;
import dev.baedal.platform.http.OpsRoutes;
import dev.baedal.platform.http.ProblemException;
import dev.baedal.platform.http.ProblemHandler;
import dev.baedal.platform.http.Violation;
import dev.baedal.platform.kafka.KafkaClients;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.sqlclient.Pool;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The gateway: one router on one port for the whole {@code /api}, forwarding to the contexts over
 * the event bus; login and JWT roles; health and metrics.
 */
public final class GatewayVerticle extends VerticleBase {
  static final long BODY_LIMIT = 64 * 1024;
  private static final java.util.Set<String> STORE_ACTIONS =
      java.util.Set.of("accept", "reject", "start-cooking", "finish-cooking");
  private static final java.util.Set<String> RIDER_ACTIONS =
      java.util.Set.of("claim", "pickup", "deliver");

  private HttpServer server;
  private LiveOrders live;
  private LiveStore liveStore;
  private LiveRider liveRider;
  private Admission admission;

  @Override
  public Future<?> start() {
    Settings settings = Settings.of(config());
    String secret = settings.string("jwt.secret");
    if (secret.length() < 32) {
      return Future.failedFuture(
          new Settings.ConfigException(
              "jwt.secret (BAEDAL_JWT_SECRET) must be at least 32 characters"));
    }
    Pool pool = Database.pool(vertx, settings);
    Accounts accounts = new Accounts(vertx, pool);
    JWTAuth jwt =
        JWTAuth.create(
            vertx,
            new JWTAuthOptions()
                .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
    Readiness readiness = Readiness.of(vertx);
    readiness.register("postgres", () -> pool.query("select 1").execute());
    readiness.register("kafka", KafkaClients.reachability(vertx, settings));

    long commandTimeout = settings.integer("request.timeout-ms");
    long placeTimeout = Math.max(commandTimeout, settings.integer("breaker.timeout-ms") + 3000L);
    Forwarder forward = new Forwarder(vertx, commandTimeout);

    Router router = Router.router(vertx);
    router.route().failureHandler(new ProblemHandler(BODY_LIMIT));
    OpsRoutes.mount(router, vertx);

    LiveHandshake handshake = new LiveHandshake(vertx, jwt);
    long checkMs = settings.integer("live.check-interval-ms");
    live = new LiveOrders(vertx, handshake, checkMs);
    liveStore = new LiveStore(vertx, handshake, checkMs);
    liveRider = new LiveRider(vertx, handshake, Reach.of(settings), checkMs);
    admission = new Admission(vertx, settings.integer("admission.max-backlog-ms"));
    long readYourWritesMs = settings.integer("read-your-writes.timeout-ms");
    router.get("/ws/orders/:orderId").handler(ctx -> live.connect(ctx, ctx.pathParam("orderId")));
    router.get("/ws/store").handler(liveStore::connect);
    router.get("/ws/rider").handler(liveRider::connect);

    router
        .get("/openapi.yaml")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("Content-Type", "application/yaml")
                    .sendFile("openapi.yaml"));
    Map<String, Handler<RoutingContext>[]> operations = new HashMap<>();
    operations.put("login", chain(ctx -> login(ctx, accounts, jwt, settings)));
    JsonArray districts = Districts.toJson();
    operations.put("listDistricts", chain(ctx -> ctx.json(districts)));
    JsonObject deliveryOptions = deliveryOptions(settings);
    operations.put("deliveryOptions", chain(ctx -> ctx.json(deliveryOptions)));
    operations.put(
        "listStores",
        chain(ctx -> forward.json(ctx, Addresses.CATALOG_STORES, new JsonObject(), 200)));
    operations.put(
        "getMenu",
        chain(
            ctx ->
                forward.json(
                    ctx,
                    Addresses.CATALOG_MENU,
                    new JsonObject().put("storeId", ctx.pathParam("storeId")),
                    200)));
    operations.put(
        "placeOrder",
        chain(
            Roles.require("customer"),
            ctx -> placeOrder(ctx, forward, placeTimeout, readYourWritesMs)));
    operations.put(
        "listOrders", chain(ctx -> forward.json(ctx, Addresses.QUERY_LIST, caller(ctx), 200)));
    operations.put(
        "getOrder",
        chain(
            ctx ->
                forward.json(
                    ctx,
                    Addresses.QUERY_GET,
                    caller(ctx).put("orderId", ctx.pathParam("orderId")),
                    200)));
    operations.put(
        "cancelOrder",
        chain(
            Roles.require("customer"),
            ctx -> forward.json(ctx, Addresses.ORDER_CANCEL, orderCommand(ctx), 202)));
    operations.put(
        "confirmOrder",
        chain(
            Roles.require("customer"),
            ctx -> forward.json(ctx, Addresses.ORDER_CONFIRM, orderCommand(ctx), 200)));
    operations.put(
        "modifyOrder",
        chain(
            Roles.require("customer"),
            ctx ->
                forward.json(
                    ctx, Addresses.ORDER_MODIFY, orderCommand(ctx).put("body", body(ctx)), 202)));
    operations.put(
        "listStoreOrders",
        chain(
            Roles.require("store"),
            ctx ->
                forward.json(
                    ctx,
                    Addresses.STORE_ORDERS,
                    new JsonObject()
                        .put("storeId", Roles.subject(ctx))
                        .put("status", storeStatus(ctx.queryParams().get("status"))),
                    200)));
    operations.put("storeAction", chain(Roles.require("store"), ctx -> storeAction(ctx, forward)));
    operations.put(
        "setStoreOpen",
        chain(
            Roles.require("store"),
            ctx ->
                forward.json(
                    ctx,
                    Addresses.STORE_OPEN,
                    new JsonObject()
                        .put("storeId", Roles.subject(ctx))
                        .put("open", body(ctx).getValue("open")),
                    200)));
    operations.put(
        "nearbyDeliveries",
        chain(
            Roles.require("rider"),
            ctx ->
                forward.json(
                    ctx,
                    Addresses.RIDER_NEARBY,
                    new JsonObject()
                        .put("riderId", Roles.subject(ctx))
                        .put("lat", ctx.queryParams().get("lat"))
                        .put("lng", ctx.queryParams().get("lng")),
                    200)));
    operations.put(
        "myDeliveries",
        chain(
            Roles.require("rider"),
            ctx ->
                forward.json(
                    ctx,
                    Addresses.RIDER_MINE,
                    new JsonObject().put("riderId", Roles.subject(ctx)),
                    200)));
    operations.put("riderAction", chain(Roles.require("rider"), ctx -> riderAction(ctx, forward)));

    return Database.migrate(vertx, settings, Accounts.SCHEMA, "gateway")
        .compose(v -> accounts.seed())
        .compose(v -> ApiRouter.build(vertx, jwt, operations, BODY_LIMIT))
        .map(
            api -> {
              router.route("/api/*").subRouter(api);
              // the web UI: plain pages and scripts from the classpath
              router.route("/*").handler(StaticHandler.create("webroot").setCachingEnabled(false));
              router
                  .route()
                  .handler(
                      ctx -> ctx.fail(new ProblemException(404, "Not Found", "no such route")));
              return router;
            })
        .compose(v -> live.start())
        .compose(v -> liveStore.start())
        .compose(v -> liveRider.start())
        .compose(v -> admission.start())
        .compose(
            v ->
                vertx
                    .createHttpServer(
                        new HttpServerOptions()
                            .setHost(settings.string("http.host"))
                            .setPort(settings.integer("http.port"))
                            .setCompressionSupported(true))
                    .requestHandler(router)
                    .listen())
        .onSuccess(s -> server = s);
  }

  /** The port the server listens on (useful with {@code http.port} 0). */
  public int actualPort() {
    return server.actualPort();
  }

  private static void login(RoutingContext ctx, Accounts accounts, JWTAuth jwt, Settings settings) {
    JsonObject body = ctx.body().asJsonObject();
    if (body == null
        || !(body.getValue("username") instanceof String username)
        || !(body.getValue("password") instanceof String password)
        || username.isEmpty()
        || username.length() > 100
        || password.length() > 200) {
      ctx.fail(ProblemException.invalid(Violation.pointer("", Violation.AN_OBJECT)));
      return;
    }
    accounts
        .login(username, password)
        .onSuccess(
            account -> {
              if (account == null) {
                ctx.fail(new ProblemException(401, "Unauthorized", "wrong username or password"));
                return;
              }
              String token =
                  jwt.generateToken(
                      new JsonObject()
                          .put("sub", account.subject())
                          .put("role", account.role())
                          .put("name", account.name())
                          .put("phone", account.phone()),
                      new JWTOptions().setExpiresInMinutes(settings.integer("jwt.ttl-minutes")));
              ctx.json(
                  new JsonObject()
                      .put("token", token)
                      .put("role", account.role())
                      .put("subject", account.subject())
                      .put("name", account.name()));
            })
        .onFailure(ctx::fail);
  }

  /** The fees and the express promise, from the settings the contexts use. */
  private static JsonObject deliveryOptions(Settings settings) {
    Reach reach = Reach.of(settings);
    return new JsonObject()
        .put("deliveryFee", settings.integer("fee.delivery"))
        .put("expressFee", settings.integer("fee.express"))
        .put("expressEtaMinutes", reach.expressEtaMinutes())
        .put("riderSpeedKmh", reach.speedKmh())
        .put("riderRadiusKm", reach.radiusKm());
  }

  /** {role, subject} of the caller, for the query side to decide what they may see. */
  private static JsonObject caller(RoutingContext ctx) {
    return new JsonObject().put("role", Roles.role(ctx)).put("subject", Roles.subject(ctx));
  }

  /** {orderId, customerId} of a customer's request about one order. */
  private static JsonObject orderCommand(RoutingContext ctx) {
    return new JsonObject()
        .put("orderId", ctx.pathParam("orderId"))
        .put("customerId", Roles.subject(ctx));
  }

  /** The JSON object body, or an empty one when there is none; anything else is a 400. */
  private static JsonObject body(RoutingContext ctx) {
    if (ctx.body().length() == 0) {
      return new JsonObject();
    }
    JsonObject body = ctx.body().asJsonObject();
    return body == null ? new JsonObject() : body;
  }

  /**
   * A store order's status for {@code ?status=}: the store's own names, or {@code PAID}, what the
   * customer sees of a new order (the only customer status that is one store status).
   */
  private static String storeStatus(String status) {
    return "PAID".equals(status) ? "NEW" : status;
  }

  @SafeVarargs
  private static Handler<RoutingContext>[] chain(Handler<RoutingContext>... handlers) {
    return handlers;
  }

  private static void storeAction(RoutingContext ctx, Forwarder forward) {
    String action = ctx.pathParam("action");
    if (!STORE_ACTIONS.contains(action)) {
      ctx.fail(ProblemException.notFound("no store action " + action));
      return;
    }
    forward.json(
        ctx,
        Addresses.STORE_ACTION,
        new JsonObject()
            .put("storeId", Roles.subject(ctx))
            .put("orderId", ctx.pathParam("orderId"))
            .put("action", action)
            .put("reason", body(ctx).getValue("reason")),
        200);
  }

  private static void riderAction(RoutingContext ctx, Forwarder forward) {
    String action = ctx.pathParam("action");
    if (!RIDER_ACTIONS.contains(action)) {
      ctx.fail(ProblemException.notFound("no rider action " + action));
      return;
    }
    JsonObject body = body(ctx);
    if ("claim".equals(action)) {
      // a claim needs the rider's position
      List<Violation> missing = new java.util.ArrayList<>();
      for (String field : List.of("lat", "lng")) {
        if (body.getValue(field) == null) {
          missing.add(Violation.pointer("/" + field, Violation.REQUIRED));
        }
      }
      if (!missing.isEmpty()) {
        ctx.fail(ProblemException.invalid(missing));
        return;
      }
    }
    forward.json(
        ctx,
        Addresses.RIDER_ACTION,
        new JsonObject()
            .put("riderId", Roles.subject(ctx))
            .put("orderId", ctx.pathParam("orderId"))
            .put("action", action)
            .put("lat", body.getValue("lat"))
            .put("lng", body.getValue("lng")),
        200);
  }

  /**
   * Places an order: refused at once when the system is too far behind (admission control),
   * otherwise forwarded to the order context, and answered 201 once the order's view is committed
   * on the query side, so the caller's next read shows it (read your writes). If the view takes
   * longer than {@code readYourWritesMs} (the query side is down), the order exists and is paid: it
   * is answered 201 all the same.
   */
  private void placeOrder(
      RoutingContext ctx, Forwarder forward, long timeout, long readYourWritesMs) {
    String key = ctx.request().getHeader("Idempotency-Key");
    if (key == null || key.isBlank()) {
      // the document requires the header; a blank one is no key either
      ctx.fail(
          ProblemException.invalid(
              Violation.header(
                  "Idempotency-Key", key == null ? Violation.REQUIRED : Violation.NOT_BLANK)));
      return;
    }
    admission.check();
    JsonObject command =
        new JsonObject()
            .put("customerId", Roles.subject(ctx))
            .put("contactPhone", ctx.user().principal().getString("phone"))
            .put("idempotencyKey", key)
            .put("body", ctx.body().asJsonObject());
    forward
        .<JsonObject>request(
            Addresses.ORDER_PLACE, command, new DeliveryOptions().setSendTimeout(timeout))
        .compose(
            reply ->
                live.awaitView(reply.getJsonObject("order").getString("orderId"), readYourWritesMs)
                    .otherwiseEmpty()
                    .map(reply))
        .onSuccess(
            reply -> {
              JsonObject order = reply.getJsonObject("order");
              if (!reply.getBoolean("created")) {
                ctx.response().putHeader("Idempotent-Replayed", "true");
              }
              ctx.response()
                  .setStatusCode(201)
                  .putHeader("Location", "/api/orders/" + order.getString("orderId"));
              ctx.json(order);
            })
        .onFailure(ctx::fail);
  }

  @Override
  public Future<?> stop() {
    Readiness.of(vertx).unregister("postgres");
    Readiness.of(vertx).unregister("kafka");
    return Future.join(
        List.of(
            server == null ? Future.succeededFuture() : server.close(),
            live == null ? Future.succeededFuture() : live.stop(),
            liveStore == null ? Future.succeededFuture() : liveStore.stop(),
            liveRider == null ? Future.succeededFuture() : liveRider.stop(),
            admission == null ? Future.succeededFuture() : admission.stop()));
  }
}
