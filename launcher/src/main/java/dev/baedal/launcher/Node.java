package dev.baedal.launcher;

import dev.baedal.gateway.GatewayVerticle;
import dev.baedal.platform.Settings;
import dev.baedal.platform.db.Database;
import dev.baedal.platform.db.PoolTimerRace;
import dev.baedal.platform.http.OpsRoutes;
import dev.baedal.platform.kafka.DeadLetterWatch;
import dev.baedal.platform.kafka.KafkaClients;
import dev.baedal.platform.metrics.Meters;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One process's share of Baedal: a Vert.x instance with the chosen services deployed on it, in
 * dependency order, each with the same validated settings.
 */
public final class Node {
  private final Vertx vertx;
  private final Map<Service, String> deployments = new EnumMap<>(Service.class);
  private GatewayVerticle gateway;
  private HttpServer opsServer;
  private Pool pool;
  private DeadLetterWatch deadLetters;

  private Node(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Creates the topics if needed and deploys {@code services}; {@code progress} hears one line per
   * service as it becomes ready.
   */
  public static Future<Node> start(
      Settings settings, List<Service> services, Consumer<String> progress) {
    return start(settings, services, progress, false);
  }

  /**
   * Like {@link #start(Settings, List, Consumer)}; with {@code clustered} the event bus joins the
   * other JVMs through Hazelcast (see {@link Cluster}).
   */
  public static Future<Node> start(
      Settings settings, List<Service> services, Consumer<String> progress, boolean clustered) {
    VertxOptions options = new VertxOptions();
    if (clustered) {
      Cluster.configure(options.getEventBusOptions(), settings);
    }
    VertxBuilder builder = Meters.builder(options);
    if (!clustered) {
      return start(new Node(builder.build()), settings, services, progress);
    }
    ClusterManager cluster = Cluster.manager(settings);
    Future<Vertx> vertx =
        builder
            .withClusterManager(cluster)
            .buildClustered()
            .onSuccess(
                v ->
                    progress.accept(
                        String.format(
                            "%-8s joined %s on %s (%d members)",
                            "cluster",
                            settings.string("cluster.name"),
                            settings.string("cluster.host"),
                            cluster.getNodes().size())));
    return vertx.compose(v -> start(new Node(v), settings, services, progress));
  }

  /**
   * Like {@link #start(Settings, List, Consumer)}, on a Vert.x instance that already exists (e.g.
   * one clustered by the caller); {@link #stop()} closes it.
   */
  public static Future<Node> startOn(
      Vertx vertx, Settings settings, List<Service> services, Consumer<String> progress) {
    return start(new Node(vertx), settings, services, progress);
  }

  private static Future<Node> start(
      Node node, Settings settings, List<Service> services, Consumer<String> progress) {
    // the process's one pool is opened here, outside any verticle, so that it lives as long as
    // the node and a service can be stopped and started again on it
    node.pool = Database.pool(node.vertx, settings);
    PoolTimerRace.install(node.vertx);
    return KafkaClients.ensureTopics(node.vertx, settings)
        .onSuccess(v -> node.deadLetters = DeadLetterWatch.start(node.vertx, settings))
        .compose(v -> node.deployAll(settings, services, progress))
        .compose(v -> node.management(settings))
        .map(node)
        .recover(err -> node.stop().transform(ignored -> Future.failedFuture(err)));
  }

  private Future<Void> deployAll(
      Settings settings, List<Service> services, Consumer<String> progress) {
    Future<Void> chain = Future.succeededFuture();
    for (Service service : Service.values()) {
      if (services.contains(service)) {
        chain = chain.compose(v -> deploy(service, settings, progress));
      }
    }
    return chain;
  }

  /**
   * Every process answers {@code /health/live}, {@code /health/ready} and {@code /metrics} on the
   * management port ({@code management.host}, {@code management.port}), for probes and scrapers:
   * never on the public API port, which has {@code /health/live} only.
   */
  private Future<Void> management(Settings settings) {
    Router router = Router.router(vertx);
    OpsRoutes.mount(router, vertx);
    return vertx
        .createHttpServer(
            new HttpServerOptions()
                .setHost(settings.string("management.host"))
                .setPort(settings.integer("management.port"))
                .setIdleTimeout(settings.integer("http.idle-timeout-seconds"))
                .setReadIdleTimeout(settings.integer("http.read-timeout-seconds"))
                .setIdleTimeoutUnit(TimeUnit.SECONDS))
        .requestHandler(router)
        .listen()
        .onSuccess(server -> opsServer = server)
        .mapEmpty();
  }

  /** Deploys one more service (or the same one again after {@link #undeploy}). */
  public Future<Void> deploy(Service service, Settings settings, Consumer<String> progress) {
    long started = System.nanoTime();
    Deployable verticle = service.newVerticle();
    if (verticle instanceof GatewayVerticle g) {
      gateway = g;
    }
    return vertx
        .deployVerticle(verticle, new DeploymentOptions().setConfig(settings.toJson()))
        .onSuccess(
            id -> {
              deployments.put(service, id);
              progress.accept(
                  String.format(
                      "%-8s ready (%d ms)",
                      service.id(), (System.nanoTime() - started) / 1_000_000));
            })
        .recover(
            err ->
                Future.failedFuture(
                    new IllegalStateException(
                        service.id() + " failed to start: " + err.getMessage(), err)))
        .mapEmpty();
  }

  /** Stops one service, e.g. to see the rest carry on without it. */
  public Future<Void> undeploy(Service service) {
    String id = deployments.remove(service);
    return id == null ? Future.succeededFuture() : vertx.undeploy(id);
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The HTTP port: the gateway's, or the management server's on a node without it. */
  public int httpPort() {
    return gateway != null ? gateway.actualPort() : opsServer.actualPort();
  }

  /** The management port: {@code /health/ready} and {@code /metrics}. */
  public int managementPort() {
    return opsServer.actualPort();
  }

  /**
   * Completes when every readiness check and detail passes (database, catalogue replicated, broker,
   * consumers assigned), or fails with the checks still down after {@code timeoutMs}.
   */
  public Future<Void> awaitReady(long timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    Promise<Void> ready = Promise.promise();
    checkReady(deadline, ready);
    return ready.future();
  }

  private void checkReady(long deadline, Promise<Void> ready) {
    dev.baedal.platform.health.Readiness.of(vertx)
        .check()
        .onSuccess(
            health -> {
              if (health.getBoolean("complete", false)) {
                ready.complete();
              } else if (System.currentTimeMillis() > deadline) {
                ready.fail("not ready: " + health.getJsonObject("checks").encode());
              } else {
                vertx.setTimer(100, id -> checkReady(deadline, ready));
              }
            });
  }

  /** Undeploys everything in reverse order and closes Vert.x. */
  public Future<Void> stop() {
    List<Service> running = new ArrayList<>(deployments.keySet());
    Future<Void> chain = Future.succeededFuture();
    for (int i = running.size() - 1; i >= 0; i--) {
      Service s = running.get(i);
      chain = chain.eventually(() -> undeploy(s));
    }
    return chain
        .eventually(
            () -> {
              if (deadLetters != null) {
                deadLetters.stop();
              }
              return Future.succeededFuture();
            })
        .eventually(() -> opsServer == null ? Future.succeededFuture() : opsServer.close())
        .eventually(() -> pool == null ? Future.succeededFuture() : pool.close())
        .eventually(vertx::close);
  }
}
