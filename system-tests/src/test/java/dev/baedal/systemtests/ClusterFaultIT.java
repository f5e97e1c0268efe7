package dev.baedal.systemtests;

import static dev.baedal.devinfra.TestInfra.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baedal.devinfra.Signals;
import dev.baedal.devinfra.TestInfra;
import dev.baedal.platform.Settings;
import dev.baedal.platform.Topics;
import dev.baedal.platform.db.Database;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults between JVMs of one cluster ({@code baedal run ... --cluster}, as {@link ClusterIT}): the
 * payment context in a JVM of its own, everything else in another, on a PostgreSQL of their own and
 * the shared broker, under load; each test ends with the per-order {@link OrderLedger}.
 */
class ClusterFaultIT {
  private static final int SESSION_TIMEOUT_MS = 6000; // the broker's group.min.session.timeout.ms
  private final List<JarProcess> processes = new ArrayList<>();
  private Vertx vertx;

  @AfterEach
  void stopAll() {
    for (JarProcess p : processes) {
      if (p.isAlive()) {
        Signals.continueTree(p.pid()); // a stopped JVM does not die of SIGTERM
      }
      p.close();
    }
    if (vertx != null) {
      join(vertx.close());
    }
  }

  @Test
  @DisplayName(
      "the payment JVM SIGSTOPped under load until the broker evicts its consumers, then"
          + " continued: orders placed meanwhile fail cleanly or succeed, and the ledger balances")
  void paymentJvmStopped(@TempDir Path dir) throws Exception {
    String run = UUID.randomUUID().toString();
    Map<String, String> env = commonEnv(run);
    String pgUrl = env.get("BAEDAL_PG_URL");
    int[] busPorts = {JarProcess.freePort(), JarProcess.freePort()};
    env.put(
        "BAEDAL_CLUSTER_MEMBERS", "127.0.0.1:%d,127.0.0.1:%d".formatted(busPorts[0], busPorts[1]));
    ClusterMember front =
        member(dir, env, busPorts[0], "gateway", "order", "store", "rider", "query", "notify");
    ClusterMember payment = member(dir, env, busPorts[1], "payment");
    for (ClusterMember m : List.of(front, payment)) {
      new Api(m.base(), m.management()).awaitReady();
    }
    Api api = new Api(front.base());
    String kim = api.login("kim");
    String group = "fault-" + run + "-payment-compensations";
    await("the payment JVM's consumer is in its group")
        .atMost(Duration.ofSeconds(60))
        .until(() -> members(group) == 1);

    Load load = Load.start(api, kim, 3, 2);
    Instant stoppedAt;
    Instant continuedAt;
    long evictedMillis;
    long rejoinedMillis;
    try (load) {
      load.awaitMore(10);
      stoppedAt = Instant.now();
      long stopped = System.nanoTime();
      Signals.stopTree(payment.process().pid());
      try {
        await("stopped longer than the session timeout, the broker evicted its consumer")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () ->
                    System.nanoTime() - stopped >= SESSION_TIMEOUT_MS * 1_000_000L
                        && members(group) == 0);
        evictedMillis = (System.nanoTime() - stopped) / 1_000_000;
      } finally {
        // before Hazelcast gives the member up (10 s without a heartbeat, see Cluster)
        Signals.continueTree(payment.process().pid());
        continuedAt = Instant.now();
      }
      long continued = System.nanoTime();
      await("the payment JVM's consumer rejoins its group")
          .atMost(Duration.ofSeconds(60))
          .until(() -> members(group) == 1);
      rejoinedMillis = (System.nanoTime() - continued) / 1_000_000;
      load.awaitMore(15);
      load.stop();
    }
    List<Load.Attempt> during =
        load.attempts().values().stream()
            .flatMap(List::stream)
            .filter(a -> !a.at().isBefore(stoppedAt) && a.at().isBefore(continuedAt))
            .toList();
    System.out.println(
        "ClusterFaultIT.paymentJvmStopped: refusals "
            + load.refusals()
            + "; requests during the stop: "
            + during.stream()
                .collect(
                    java.util.stream.Collectors.groupingBy(
                        Load.Attempt::status,
                        java.util.TreeMap::new,
                        java.util.stream.Collectors.counting())));
    assertThat(load.statuses().keySet())
        .as(
            "201, or a clean refusal (503; 409 for a key whose payment was voided): "
                + load.report())
        .isSubsetOf(201, 503, 409);

    vertx = Vertx.vertx();
    String prefix = env.get("BAEDAL_KAFKA_TOPIC_PREFIX");
    // an authorization that lands after the order context gave up is a fact (payment.authorized),
    // settled by the reconciler's void (a payment.refunded): at most one of each per order, and
    // for an order never created, as many voids as authorizations; the money is checked anyway
    OrderLedger.Report report =
        new OrderLedger(
                Money.tables(Database.pool(vertx, Settings.defaults().with("pg.url", pgUrl))),
                TestInfra.kafka())
            .onePerCreatedOrder(prefix + Topics.ORDER_EVENTS, "order.placed")
            .atMostOnePerOrder(prefix + Topics.PAYMENT_EVENTS, "payment.authorized")
            .atMostOnePerOrder(prefix + Topics.PAYMENT_EVENTS, "payment.refunded")
            .assertBalanced(load.attempts(), List.of(load.customer()), Duration.ofSeconds(60));
    List<OrderLedger.Line> voided =
        report.lines().stream()
            .filter(l -> l.order() == null && l.events().get("payment.authorized") == 1)
            .toList();
    assertThat(voided)
        .as("an authorization whose order never came is voided, with its event")
        .allMatch(l -> l.events().get("payment.refunded") == 1);
    assertThat(report.lines())
        .as("a created order is authorized once and not voided")
        .filteredOn(l -> l.order() != null)
        .allMatch(
            l ->
                l.events().get("payment.authorized") == 1
                    && l.events().get("payment.refunded") == 0);
    System.out.println(
        "ClusterFaultIT.paymentJvmStopped: "
            + voided.size()
            + " authorizations landed after their order was given up, each voided");
    System.out.printf(
        "ClusterFaultIT.paymentJvmStopped: %d orders attempted, %d created; %s; stopped %d ms"
            + " (consumer evicted after %d ms, rejoined %d ms after SIGCONT); %d mismatches%n",
        report.lines().size(),
        report.lines().stream().filter(l -> l.order() != null).count(),
        load.report(),
        Duration.between(stoppedAt, continuedAt).toMillis(),
        evictedMillis,
        rejoinedMillis,
        report.wrong().size());
  }

  private Map<String, String> commonEnv(String run) {
    Map<String, String> env = new HashMap<>();
    env.put("BAEDAL_PG_URL", TestInfra.freshDatabase());
    env.put("BAEDAL_KAFKA", TestInfra.kafka());
    env.put("BAEDAL_KAFKA_GROUP_PREFIX", "fault-" + run);
    env.put("BAEDAL_KAFKA_TOPIC_PREFIX", "f" + run.substring(0, 8) + ".");
    env.put("BAEDAL_JWT_SECRET", "fault-secret-" + run + run);
    env.put("BAEDAL_PAYMENT_CARD_KEY", "fault-card-key-" + run + run);
    env.put("BAEDAL_OUTBOX_POLL_MS", "250");
    env.put("BAEDAL_CLUSTER_NAME", "fault-" + run);
    env.put("BAEDAL_NOTIFIER_ENABLED", "false");
    env.put("BAEDAL_CONSUMER_SESSION_TIMEOUT_MS", String.valueOf(SESSION_TIMEOUT_MS));
    env.put("BAEDAL_PAYMENT_RESERVE_MS", "8000");
    env.put("BAEDAL_PAYMENT_PENDING_TIMEOUT_MS", "5000");
    env.put("BAEDAL_PAYMENT_RECONCILE_INTERVAL_MS", "1000");
    return env;
  }

  private ClusterMember member(
      Path dir, Map<String, String> common, int busPort, String... services) throws Exception {
    ClusterMember m = ClusterMember.start(dir, common, busPort, services);
    processes.add(m.process());
    return m;
  }

  /** How many members the consumer group has now. */
  private static int members(String group) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", TestInfra.kafka());
    try (Admin admin = Admin.create(p)) {
      return admin
          .describeConsumerGroups(List.of(group))
          .describedGroups()
          .get(group)
          .get()
          .members()
          .size();
    }
  }
}
