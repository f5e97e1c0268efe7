package dev.baedal.gateway;

import dev.baedal.contract.Reach;
import dev.baedal.platform.CardSeal;
import dev.baedal.platform.Settings;
import dev.baedal.platform.db.Database;
import dev.baedal.platform.health.Readiness;
import dev.baedal.platform.http.OpsRoutes;
import dev.baedal.platform.http.ProblemException;
import dev.baedal.platform.http.ProblemHandler;
import dev.baedal.platform.http.Problems;
import dev.baedal.platform.kafka.KafkaClients;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.AllowForwardHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.sqlclient.Pool;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The gateway: one router on one port for the whole {@code /api}, forwarding to the contexts over
 * the event bus; login and JWT roles; health and metrics. Each operation of {@code openapi.yaml} is
 * one line of {@link #operations}, to a method of {@link Login}, {@link CatalogRoutes}, {@link
 * OrderRoutes}, {@link StoreRoutes} or {@link RiderRoutes}.
 */
public final class GatewayVerticle extends VerticleBase {
  static final long BODY_LIMIT = 64 * 1024;

  /** The readiness checks this verticle registers (and unregisters when it stops). */
  private static final String POSTGRES = "postgres";

  private static final String KAFKA = "kafka";

  private Settings settings;
  private HttpServer server;
  private LiveOrders live;
  private LiveStore liveStore;
  private LiveRider liveRider;
  private Admission admission;
  private Accounts accounts;
  private LoginThrottle throttle;

  @Override
  public Future<?> start() {
    settings = Settings.of(config());
    String secret = settings.string("jwt.secret");
    if (secret.length() < 32) {
      return Future.failedFuture(
          new Settings.ConfigException(
              "jwt.secret (BAEDAL_JWT_SECRET) must be at least 32 characters"));
    }
    PaymentCards cards = new PaymentCards(CardSeal.of(settings));
    Pool pool = Database.pool(vertx, settings);
    accounts = new Accounts(vertx, pool);
    throttle = new LoginThrottle(vertx, pool, settings);
    JWTAuth jwt = tokens(secret);
    readiness(pool);
    admission =
        new Admission(
            vertx,
            settings.integer("admission.max-backlog-ms"),
            settings.integer("admission.max-placing"));
    live(jwt);
    Router router = router();
    Map<String, List<Handler<RoutingContext>>> operations = operations(jwt, cards);
    return Database.migrate(vertx, settings, Accounts.SCHEMA, "gateway")
        .compose(v -> accounts.seed())
        .compose(v -> ApiRouter.build(vertx, jwt, operations, BODY_LIMIT))
        .map(api -> mount(router, api))
        .compose(v -> live.start())
        .compose(v -> liveStore.start())
        .compose(v -> liveRider.start())
        .compose(v -> admission.start())
        .compose(v -> listen(router))
        .onSuccess(
            s -> {
              server = s;
              throttle.start();
            });
  }

  private JWTAuth tokens(String secret) {
    return new Tokens(
        JWTAuth.create(
            vertx,
            new JWTAuthOptions()
                .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret))));
  }

  private void readiness(Pool pool) {
    Readiness readiness = Readiness.of(vertx);
    readiness.register(POSTGRES, () -> pool.query("select 1").execute());
    // ready means "can take orders": PostgreSQL answers; with Kafka away the outbox keeps the
    // events until it is back, so Kafka is a detail of readiness, not a reason to leave the Service
    readiness.registerDetail(KAFKA, KafkaClients.reachability(vertx, settings));
  }

  /** The WebSocket endpoints, which share one handshake (token, session limits, pings). */
  private void live(JWTAuth jwt) {
    LiveHandshake handshake =
        new LiveHandshake(
            vertx,
            jwt,
            settings.integer("live.max-sessions-per-target"),
            settings.integer("live.max-sessions-per-user"),
            Math.max(1, settings.integer("live.ping-seconds")) * 1000L);
    long checkMs = settings.integer("live.check-interval-ms");
    live =
        new LiveOrders(
            vertx,
            handshake,
            checkMs,
            settings.integer("read-your-writes.timeout-ms"),
            admission::behindMs);
    liveStore = new LiveStore(vertx, handshake, checkMs);
    liveRider = new LiveRider(vertx, handshake, Reach.of(settings), checkMs);
  }

  /** The routes before {@code /api}: problem JSON, headers, input guard, liveness, WebSockets. */
  private Router router() {
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
    // before the body is read, checked or authenticated: under overload the excess costs little
    router.post("/api/orders").handler(admission::gate);
    router.get("/ws/orders/:orderId").handler(live::connect);
    router.get("/ws/store").handler(liveStore::connect);
    router.get("/ws/rider").handler(liveRider::connect);
    router.get("/openapi.yaml").handler(GatewayVerticle::contract);
    return router;
  }

  private static void contract(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/yaml").sendFile(ApiRouter.CONTRACT);
  }

  /** Each operation of {@code openapi.yaml}, by its {@code operationId}, to its handlers. */
  private Map<String, List<Handler<RoutingContext>>> operations(JWTAuth jwt, PaymentCards cards) {
    long commandTimeout = settings.integer("request.timeout-ms");
    long placeTimeout = Math.max(commandTimeout, settings.integer("breaker.timeout-ms") + 3000L);
    Forwarder forward = new Forwarder(vertx, commandTimeout);
    Login login = new Login(jwt, accounts, throttle, settings.integer("jwt.ttl-minutes"));
    CatalogRoutes catalog = new CatalogRoutes(forward, settings);
    OrderRoutes orders =
        new OrderRoutes(
            forward,
            accounts,
            cards,
            live,
            admission,
            placeTimeout,
            settings.integer("read-your-writes.timeout-ms"));
    StoreRoutes store = new StoreRoutes(forward);
    RiderRoutes rider = new RiderRoutes(forward);
    Handler<RoutingContext> customer = Roles.require("customer");
    Handler<RoutingContext> owner = Roles.require("store");
    Handler<RoutingContext> riderOnly = Roles.require("rider");

    Map<String, List<Handler<RoutingContext>>> ops = new HashMap<>();
    ops.put("login", List.of(login::handle));
    ops.put("listDistricts", List.of(catalog::districts));
    ops.put("deliveryOptions", List.of(catalog::deliveryOptions));
    ops.put("listStores", List.of(catalog::stores));
    ops.put("getMenu", List.of(catalog::menu));
    ops.put("placeOrder", List.of(customer, orders::place));
    ops.put("listOrders", List.of(orders::list));
    ops.put("getOrder", List.of(orders::get));
    ops.put("cancelOrder", List.of(customer, orders::cancel));
    ops.put("confirmOrder", List.of(customer, orders::confirm));
    ops.put("modifyOrder", List.of(customer, orders::modify));
    ops.put("listStoreOrders", List.of(owner, store::orders));
    ops.put("storeAction", List.of(owner, store::action));
    ops.put("setStoreOpen", List.of(owner, store::open));
    ops.put("nearbyDeliveries", List.of(riderOnly, rider::nearby));
    ops.put("myDeliveries", List.of(riderOnly, rider::mine));
    ops.put("riderAction", List.of(riderOnly, rider::action));
    return ops;
  }

  /** {@code /api}, then the web UI (plain pages and scripts from the classpath), then 404. */
  private static Router mount(Router router, Router api) {
    router.route("/api/*").subRouter(api);
    router.route("/*").handler(StaticHandler.create("webroot").setCachingEnabled(false));
    router
        .route()
        .handler(ctx -> ctx.fail(new ProblemException(404, "Not Found", "no such route")));
    return router;
  }

  private Future<HttpServer> listen(Router router) {
    return vertx
        .createHttpServer(
            new HttpServerOptions()
                .setHost(settings.string("http.host"))
                .setPort(settings.integer("http.port"))
                .setCompressionSupported(true)
                // a connection with no traffic either way is closed (idle keep-alive), and one the
                // client sends nothing on (half-open, or a WebSocket that does not answer the
                // pings): neither holds a socket for ever
                .setIdleTimeout(settings.integer("http.idle-timeout-seconds"))
                .setReadIdleTimeout(settings.integer("http.read-timeout-seconds"))
                .setIdleTimeoutUnit(TimeUnit.SECONDS))
        .requestHandler(router)
        .invalidRequestHandler(GatewayVerticle::invalidRequest)
        .listen();
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

  @Override
  public Future<?> stop() {
    Readiness.of(vertx).unregister(POSTGRES);
    Readiness.of(vertx).unregister(KAFKA);
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
