package dev.baedal.systemtests;

import static dev.baedal.devinfra.TestInfra.join;
import static org.awaitility.Awaitility.await;

import dev.baedal.devinfra.TestInfra;
import dev.baedal.launcher.Node;
import dev.baedal.launcher.Service;
import dev.baedal.platform.Settings;
import dev.baedal.platform.Topics;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The payment context in a JVM of its own (a cluster member) cut off from the rest by a network
 * partition while customers keep ordering: requests that were authorizing when the cable was
 * pulled, and those sent during the 15 s, fail (503, nothing kept) or succeed, never both; once
 * healed, ordering resumes, and the per-order ledger balances after the reconcile window.
 *
 * <p>Both members run in this test's JVM on their own clustered Vert.x, reaching each other only
 * through {@link ProxiedCluster}'s proxies (Hazelcast and event bus), which black-hole every byte
 * during the partition. The member timeout is set above the partition's length, so the cluster
 * stays one and its connections come back when the network does (a longer cut splits it in two:
 * {@code cluster.member-timeout-seconds}).
 */
class PartitionFaultTest {
  @Test
  @DisplayName(
      "payment partitioned from order mid-authorization for 15 s under load, then healed: every"
          + " order balances")
  void paymentPartitioned() throws Exception {
    Settings base =
        Settings.defaults()
            .with("kafka", TestInfra.kafka())
            .with("pg.url", TestInfra.freshDatabase())
            .with("kafka.group-prefix", "partition-" + UUID.randomUUID())
            .with("kafka.topic-prefix", "p" + UUID.randomUUID().toString().substring(0, 8) + ".")
            .with("http.port", 0)
            .with("management.port", 0)
            .with("jwt.secret", "partition-secret-" + UUID.randomUUID() + UUID.randomUUID())
            .with("payment.card-key", "partition-card-" + UUID.randomUUID() + UUID.randomUUID())
            .with("outbox.poll-ms", 250)
            .with("cluster.member-timeout-seconds", 40)
            .with("payment.reserve-ms", 5000)
            .with("payment.pending-timeout-ms", 5000)
            .with("payment.reconcile-interval-ms", 1000)
            .with("request.timeout-ms", 5000);
    try (ProxiedCluster cluster = new ProxiedCluster(2)) {
      Vertx rest = join(cluster.start(0, base));
      Vertx paymentJvm = join(cluster.start(1, base));
      Node payment =
          join(
              Node.startOn(
                  paymentJvm, cluster.settings(1, base), List.of(Service.PAYMENT), l -> {}));
      List<Service> others =
          Arrays.stream(Service.values()).filter(s -> s != Service.PAYMENT).toList();
      Node node = join(Node.startOn(rest, cluster.settings(0, base), others, l -> {}));
      try {
        Api api =
            new Api(
                "http://127.0.0.1:" + node.httpPort(), "http://127.0.0.1:" + node.managementPort());
        String lee = api.login("lee");
        await("an order goes through the cluster")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(250))
            .until(
                () ->
                    api.placeOrder(
                                lee, UUID.randomUUID().toString(), Api.chickenOrder(Api.GOOD_CARD))
                            .status()
                        == 201);

        Load load = Load.start(api, api.login("kim"), 3, 2);
        long healedToFirst;
        try (load) {
          load.awaitMore(10);
          cluster.partition();
          try {
            TimeUnit.SECONDS.sleep(15); // the fault itself: fifteen seconds of a pulled cable
          } finally {
            cluster.heal();
          }
          long healed = System.nanoTime();
          load.awaitMore(1);
          healedToFirst = (System.nanoTime() - healed) / 1_000_000;
          load.awaitMore(10);
          load.stop();
        }
        var pool = dev.baedal.platform.db.Database.pool(rest, base);
        OrderLedger.Report report =
            new OrderLedger(Money.tables(pool), TestInfra.kafka())
                .onePerCreatedOrder(Topics.qualified(base, Topics.ORDER_EVENTS), "order.placed")
                .oncePerCreatedOrderAtMostOnceOtherwise(
                    Topics.qualified(base, Topics.PAYMENT_EVENTS), "payment.authorized")
                .assertBalanced(load.attempts(), List.of(load.customer()), Duration.ofSeconds(60));
        System.out.printf(
            "fault partition-payment-15s: %s; %d orders created, %d wrong; first 201 %d ms after"
                + " the heal%n",
            load.report(),
            report.lines().stream().filter(l -> l.order() != null).count(),
            report.wrong().size(),
            healedToFirst);
      } finally {
        join(node.stop());
        join(payment.stop());
      }
    }
  }
}
