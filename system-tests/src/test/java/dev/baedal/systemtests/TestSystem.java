package dev.baedal.systemtests;

import static dev.baedal.devinfra.TestInfra.join;

import dev.baedal.devinfra.TestInfra;
import dev.baedal.launcher.Node;
import dev.baedal.launcher.Service;
import dev.baedal.platform.Settings;
import dev.baedal.platform.db.Database;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * A whole Baedal node for a test class: every service on the shared test broker, a database of its
 * own, consumer groups of its own, a random HTTP port; and a real HTTP client to talk to it.
 */
final class TestSystem extends Api {
  final Settings settings;
  final Node node;
  final Pool pool;
  final Ledger ledger;

  private TestSystem(Settings settings, Node node) {
    super("http://127.0.0.1:" + node.httpPort(), "http://127.0.0.1:" + node.managementPort());
    this.settings = settings;
    this.node = node;
    this.pool = Database.pool(node.vertx(), settings);
    this.ledger = new Ledger(pool);
  }

  static TestSystem start() {
    return start(s -> s);
  }

  /** Starts a node; {@code tweak} adjusts the test settings (e.g. breaker timings). */
  static TestSystem start(UnaryOperator<Settings> tweak) {
    return start(TestInfra.kafka(), tweak);
  }

  /**
   * A node on the broker at {@code kafka} (e.g. a {@link KafkaProcess} a fault test kills) rather
   * than the shared one, which is then not started at all.
   */
  static TestSystem start(String kafka, UnaryOperator<Settings> tweak) {
    Settings settings =
        tweak.apply(
            Settings.defaults()
                .with("kafka", kafka)
                .with("pg.url", TestInfra.freshDatabase())
                .with("kafka.group-prefix", "test-" + UUID.randomUUID())
                // topics of its own: no other test system's events, no history to read through
                .with(
                    "kafka.topic-prefix", "t" + UUID.randomUUID().toString().substring(0, 8) + ".")
                .with("http.port", 0)
                .with("management.port", 0)
                // the card network's knobs, as in baedal dev (cardNetwork)
                .with("payment.simulator", true)
                .with("jwt.secret", "test-secret-" + UUID.randomUUID() + UUID.randomUUID())
                .with("payment.card-key", "test-card-key-" + UUID.randomUUID() + UUID.randomUUID())
                .with("outbox.poll-ms", 250));
    Node node = join(Node.start(settings, List.of(Service.values()), line -> {}));
    TestSystem system = new TestSystem(settings, node);
    system.awaitCatalogue();
    system.awaitCaughtUp();
    return system;
  }

  /**
   * A new system's consumer groups read the shared test broker's topics from their start, through
   * the events of every test class before this one: orders are taken once they have caught up
   * (admission control would refuse them until then). The same after a test held a consumer up.
   */
  void awaitCaughtUp() {
    join(node.awaitReady(90_000)); // every consumer has its partitions
    org.awaitility.Awaitility.await("the consumers caught up with the topics")
        .atMost(Duration.ofSeconds(90))
        .during(Duration.ofSeconds(1))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                dev.baedal.platform.consistency.Backlog.of(node.vertx()).behind().stream()
                    .allMatch(e -> ((Number) e.getValue()).longValue() < 500));
  }

  /** A contract topic as this system names it. */
  String topic(String topic) {
    return dev.baedal.platform.Topics.qualified(settings, topic);
  }

  /** Orders can be placed once the order context's catalogue replica has the demo stores. */
  private void awaitCatalogue() {
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> count("select count(*) from order_svc.catalog_items") >= 10);
  }

  /** A token for any subject, signed with this system's key (e.g. riders beyond the demo two). */
  String token(String role, String subject) {
    return token(role, subject, 3600);
  }

  /** Such a token that expires in {@code seconds}. */
  String token(String role, String subject, int seconds) {
    io.vertx.ext.auth.jwt.JWTAuth jwt =
        io.vertx.ext.auth.jwt.JWTAuth.create(
            node.vertx(),
            new io.vertx.ext.auth.jwt.JWTAuthOptions()
                .addPubSecKey(
                    new io.vertx.ext.auth.PubSecKeyOptions()
                        .setAlgorithm("HS256")
                        .setBuffer(settings.string("jwt.secret"))));
    return jwt.generateToken(
        new JsonObject().put("sub", subject).put("role", role),
        new io.vertx.ext.auth.JWTOptions().setExpiresInSeconds(seconds));
  }

  /** Waits until the store context knows the order, then runs an owner action on it. */
  Response storeAction(String storeToken, String orderId, String action, JsonObject body) {
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                count(
                        "select count(*) from store_svc.store_orders where order_id = $1::uuid",
                        orderId)
                    == 1);
    return post("/api/store/orders/" + orderId + "/" + action, storeToken, body);
  }

  /** Waits until the order has exactly {@code n} refunds. */
  void awaitRefunds(String orderId, int n) {
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                count("select count(*) from payment_svc.refunds where order_id = $1::uuid", orderId)
                    == n);
  }

  /** Waits until the rider context opened the delivery. */
  void awaitDelivery(String orderId) {
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                count(
                        "select count(*) from rider_svc.deliveries where order_id = $1::uuid",
                        orderId)
                    == 1);
  }

  /**
   * Waits until the consumer group {@code <group-prefix>-<group>} has handled (and committed) every
   * record that is on its topics now: after it, whatever that context would do about what has
   * happened so far has been done.
   */
  void awaitConsumed(String group) {
    String id = settings.string("kafka.group-prefix") + "-" + group;
    try (org.apache.kafka.clients.admin.Admin admin =
        org.apache.kafka.clients.admin.Admin.create(
            java.util.Map.of("bootstrap.servers", TestInfra.kafka()))) {
      var committed = admin.listConsumerGroupOffsets(id).partitionsToOffsetAndMetadata().get();
      var latest =
          new java.util.HashMap<
              org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec>();
      committed
          .keySet()
          .forEach(tp -> latest.put(tp, org.apache.kafka.clients.admin.OffsetSpec.latest()));
      var ends = admin.listOffsets(latest).all().get();
      org.awaitility.Awaitility.await("group " + id + " handled everything on its topics")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                var now = admin.listConsumerGroupOffsets(id).partitionsToOffsetAndMetadata().get();
                return ends.entrySet().stream()
                    .allMatch(
                        e ->
                            now.get(e.getKey()) != null
                                && now.get(e.getKey()).offset() >= e.getValue().offset());
              });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("could not read the offsets of " + id, e);
    }
  }

  // ---- database, for assertions ----

  long count(String sql, Object... args) {
    return ledger.count(sql, args);
  }

  List<Row> rows(String sql, Object... args) {
    return join(
        pool.preparedQuery(sql)
            .execute(Tuple.wrap(args))
            .map(
                rs -> {
                  List<Row> out = new ArrayList<>();
                  rs.forEach(out::add);
                  return out;
                }));
  }

  /** Changes the simulated card network: latency and failure rate. */
  void cardNetwork(long latencyMs, double failureRate) {
    join(
        node.vertx()
            .eventBus()
            .request(
                dev.baedal.payment.PaymentVerticle.SIMULATOR,
                new JsonObject().put("latencyMs", latencyMs).put("failureRate", failureRate)));
  }

  @Override
  public void close() {
    super.close();
    Future<Void> stopped = node.stop();
    join(stopped);
  }
}
