package dev.baedal.gateway;

import dev.baedal.contract.Districts;
import dev.baedal.contract.Reach;
import dev.baedal.platform.Addresses;
import dev.baedal.platform.CardSeal;
import dev.baedal.platform.Settings;
import dev.baedal.platform.db.Database;
import dev.baedal.platform.health.Readiness;
import dev.baedal.platform.http.OpsRoutes;
import dev.baedal.platform.http.ProblemException;
import dev.baedal.platform.http.ProblemHandler;
import dev.baedal.platform.http.Problems;
import dev.baedal.platform.http.Violation;
import dev.baedal.platform.kafka.KafkaClients;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.AllowForwardHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * The gateway: one router on one port for the whole {@code /api}, forwarding to the contexts over
 * the event bus; login and JWT roles; health and metrics.
 */
public final class GatewayVerticle extends VerticleBase {
  static final long BODY_LIMIT = 64 * 1024;
  private static final Set<String> STORE_ACTIONS =
      Set.of("accept", "reject", "start-cooking", "finish-cooking");
  private static final Set<String> RIDER_ACTIONS = Set.of("claim", "pickup", "deliver");

  private HttpServer server;
  private LiveOrders live;
  private LiveStore liveStore;
  private LiveRider liveRider;
  private Admission admission;
  private PaymentCards cards;
  private Accounts accounts;
  private LoginThrottle throttle;

  @Override
  public Future<?> start() {
    Settings settings = Settings.of(config());
    String secret = settings.string("jwt.secret");
    if (secret.length() < 32) {
      return Future.failedFuture(
          new Settings.ConfigException(
              "jwt.secret (BAEDAL_JWT_SECRET) must be at least 32 characters"));
    }
    cards = new PaymentCards(CardSeal.of(settings));
    Pool pool = Database.pool(vertx, settings);
    accounts = new Accounts(vertx, pool);
    throttle = new LoginThrottle(vertx, pool, settings);
    JWTAuth jwt =
        new Tokens(
            JWTAuth.create(
                vertx,
                new JWTAuthOptions()
                    .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret))));
    Readiness readiness = Readiness.of(vertx);
    readiness.register("postgres", () -> pool.query("select 1").execute());
    // ready means "can take orders": PostgreSQL answers; with Kafka away the outbox keeps the
    // events until it is back, so Kafka is a detail of readiness, not a reason to leave the Service
    readiness.registerDetail("kafka", KafkaClients.reachability(vertx, settings));

    long commandTimeout = settings.integer("request.timeout-ms");
    long placeTimeout = Math.max(commandTimeout, settings.integer("breaker.timeout-ms") + 3000L);
    Forwarder forward = new Forwarder(vertx, commandTimeout);

    Router router = Router.router(vertx);
    if (settings.flag("http.trust-forwarded")) {
      // behind a proxy (the Ingress) the client's address is its X-Forwarded-For
      router.allowForward(AllowForwardHeaders.X_FORWARD);
    }
    router.route().failureHandler(new ProblemHandler(BODY_LIMIT));
    router.route().handler(new SecurityHeaders(settings.string("public.url"))::handle);
    router.route().handler(InputGuard::request);
    // readiness and metrics are on the management port (Node), not on the public one
    OpsRoutes.live(router);

    LiveHandshake handshake =
        new LiveHandshake(
            vertx,
            jwt,
            settings.integer("live.max-sessions-per-target"),
            settings.integer("live.max-sessions-per-user"),
            Math.max(1, settings.integer("live.ping-seconds")) * 1000L);
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
    operations.put("login", chain(ctx -> login(ctx, jwt, settings)));
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
                            .setCompressionSupported(true)
                            // a connection with no traffic either way is closed (idle keep-alive),
                            // and one the client sends nothing on (half-open, or a WebSocket that
                            // does not answer the pings): neither holds a socket for ever
                            .setIdleTimeout(settings.integer("http.idle-timeout-seconds"))
                            .setReadIdleTimeout(settings.integer("http.read-timeout-seconds"))
                            .setIdleTimeoutUnit(TimeUnit.SECONDS))
                    .requestHandler(router)
                    .invalidRequestHandler(GatewayVerticle::invalidRequest)
                    .listen())
        .onSuccess(
            s -> {
              server = s;
              throttle.start();
            });
  }

  /**
   * A request the HTTP decoder refused (a bad request line or header, one too long): problem JSON
   * like every other error, and the connection closed.
   */
  private static void invalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status =
        cause instanceof io.netty.handler.codec.http.TooLongHttpLineException
            ? 414
            : cause instanceof io.netty.handler.codec.http.TooLongHttpHeaderException ? 431 : 400;
    String title = io.netty.handler.codec.http.HttpResponseStatus.valueOf(status).reasonPhrase();
    request
        .response()
        .setStatusCode(status)
        .putHeader("Content-Type", Problems.CONTENT_TYPE)
        .putHeader("Connection", "close")
        .end(
            Problems.json(status, title, "the request line or a header is not valid HTTP", null)
                .encode())
        .onComplete(ar -> request.connection().close());
  }

  /** The port the server listens on (useful with {@code http.port} 0). */
  public int actualPort() {
    return server.actualPort();
  }

  /**
   * Logs in: refused with 429 while the username or the client's address has too many recent
   * failures (before the password is looked at), else 401 for wrong credentials (counted) or the
   * token. The token carries no personal data beyond the display name.
   */
  private void login(RoutingContext ctx, JWTAuth jwt, Settings settings) {
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
    String address = ctx.request().remoteAddress().hostAddress();
    ctx.response().putHeader("Cache-Control", "no-store");
    throttle
        .check(username, address)
        .compose(v -> accounts.login(username, password))
        .compose(
            account ->
                account == null
                    ? throttle
                        .failed(username, address)
                        .compose(
                            v ->
                                Future.<Accounts.Account>failedFuture(
                                    new ProblemException(
                                        401, "Unauthorized", "wrong username or password")))
                    : throttle.succeeded(username).map(account))
        .onSuccess(
            account -> {
              String token =
                  jwt.generateToken(
                      new JsonObject()
                          .put("sub", account.subject())
                          .put("role", account.role())
                          .put("name", account.name()),
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
    orderAction(
        ctx,
        forward,
        "store",
        STORE_ACTIONS,
        Addresses.STORE_ACTION,
        (action, body) -> new JsonObject().put("reason", body.getValue("reason")));
  }

  private static void riderAction(RoutingContext ctx, Forwarder forward) {
    orderAction(
        ctx,
        forward,
        "rider",
        RIDER_ACTIONS,
        Addresses.RIDER_ACTION,
        (action, body) -> {
          if ("claim".equals(action)) {
            // a claim needs the rider's position
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
        });
  }

  /**
   * A {@code role}'s action on an order: one of {@code actions} (else 404), forwarded to {@code
   * address} as {@code {<role>Id, orderId, action}} and what {@code details} takes from the body
   * (or the problem it throws).
   */
  private static void orderAction(
      RoutingContext ctx,
      Forwarder forward,
      String role,
      Set<String> actions,
      String address,
      BiFunction<String, JsonObject, JsonObject> details) {
    String action = ctx.pathParam("action");
    if (!actions.contains(action)) {
      ctx.fail(ProblemException.notFound("no " + role + " action " + action));
      return;
    }
    JsonObject body = body(ctx);
    JsonObject extra;
    try {
      extra = details.apply(action, body);
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
    // the card number goes no further than this (only its seal does)
    JsonObject body = cards.sealed(ctx.body().asJsonObject());
    String customerId = Roles.subject(ctx);
    // the phone is looked up here, not carried in the token (the rider who claims gets it)
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
                    new DeliveryOptions().setSendTimeout(timeout)))
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
    if (throttle != null) {
      throttle.stop();
    }
    return Future.join(
        List.of(
            accounts == null ? Future.succeededFuture() : accounts.close(),
            server == null ? Future.succeededFuture() : server.close(),
            live == null ? Future.succeededFuture() : live.stop(),
            liveStore == null ? Future.succeededFuture() : liveStore.stop(),
            liveRider == null ? Future.succeededFuture() : liveRider.stop(),
            admission == null ? Future.succeededFuture() : admission.stop()));
  }
}
