package dev.baedal.systemtests;

import static dev.baedal.devinfra.TestInfra.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baedal.devinfra.TestInfra;
import dev.baedal.platform.Settings;
import dev.baedal.platform.Topics;
import dev.baedal.platform.db.Database;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contexts split over three JVMs joined by the Hazelcast cluster manager on loopback, with an
 * external broker ({@code baedal kafka}): gateway, order and payment in one; a store in the second;
 * a second store with rider, query and notify in the third.
 */
class ClusterIT {
  private final List<JarProcess> processes = new ArrayList<>();
  private Vertx vertx;

  @AfterEach
  void stopAll() {
    processes.forEach(JarProcess::close);
    processes.forEach(p -> System.out.println(p.output()));
    if (vertx != null) {
      join(vertx.close());
    }
  }

  @Test
  @DisplayName(
      "over three JVMs: the whole lifecycle works; two store instances share the partitions, and"
          + " stopping one under load hands them to the other without losing an order")
  void threeJvms(@TempDir Path dir) throws Exception {
    int kafkaPort = JarProcess.freePort();
    String bootstrap = "127.0.0.1:" + kafkaPort;
    processes.add(
        JarProcess.start(
            "baedal kafka",
            dir,
            Map.of(),
            "Kafka ready at",
            "kafka",
            "--port",
            String.valueOf(kafkaPort),
            "--data-dir",
            dir.resolve("kafka").toString()));

    String run = UUID.randomUUID().toString();
    String pgUrl = TestInfra.freshDatabase();
    int[] busPorts = {JarProcess.freePort(), JarProcess.freePort(), JarProcess.freePort()};
    Map<String, String> env = new HashMap<>();
    env.put("BAEDAL_PG_URL", pgUrl);
    env.put("BAEDAL_KAFKA", bootstrap);
    env.put("BAEDAL_KAFKA_GROUP_PREFIX", "cluster-" + run);
    env.put("BAEDAL_JWT_SECRET", "cluster-secret-" + run + run);
    env.put("BAEDAL_PAYMENT_CARD_KEY", "cluster-card-key-" + run + run);
    env.put("BAEDAL_OUTBOX_POLL_MS", "250");
    // admission control is tested on its own (AdmissionTest): here a hand-over that keeps the
    // store's consumers a few seconds behind must neither lose an order nor refuse one
    env.put("BAEDAL_ADMISSION_MAX_BACKLOG_MS", "0");
    env.put("BAEDAL_CLUSTER_NAME", "cluster-" + run);
    env.put(
        "BAEDAL_CLUSTER_MEMBERS",
        "127.0.0.1:%d,127.0.0.1:%d,127.0.0.1:%d".formatted(busPorts[0], busPorts[1], busPorts[2]));

    ClusterMember front = member(dir, env, busPorts[0], "gateway", "order", "payment");
    ClusterMember store = member(dir, env, busPorts[1], "store");
    ClusterMember back = member(dir, env, busPorts[2], "store", "rider", "query", "notify");
    assertThat(back.process().output()).contains("(3 members)");
    for (ClusterMember m : List.of(front, store, back)) {
      new Api(m.base(), m.management()).awaitReady();
    }

    Api api = new Api(front.base());
    String kim = api.login("kim");
    // the gateway's JVM has no store context: the menu comes over the clustered event bus
    assertThat(api.get("/api/stores/store-1/menu", kim).status()).isEqualTo(200);
    String first = api.placeAs(kim, Api.chickenOrder(Api.GOOD_CARD));
    api.completeLifecycle(first, kim);

    String group = "cluster-" + run + "-store-orders";
    await("both store instances own partitions")
        .atMost(Duration.ofSeconds(60))
        .until(() -> assignments(bootstrap, group), a -> a.size() == 2 && !a.contains(0));

    Load load = Load.start(api, kim, 3);
    List<String> ids;
    try (load) {
      load.awaitMore(10);
      assertThat(store.process().stop()).contains("stopped");
      await("the other store instance owns every partition")
          .atMost(Duration.ofSeconds(60))
          .until(() -> assignments(bootstrap, group), a -> a.equals(List.of(8)));
      load.awaitMore(20);
      ids = load.stop();
    }
    assertThat(load.statuses()).as("every request during the hand-over").containsOnlyKeys(201);

    String owner = api.login("store-1");
    for (String id : ids) {
      api.untilOk(() -> api.post("/api/store/orders/" + id + "/accept", owner, null));
    }
    vertx = Vertx.vertx();
    new Ledger(Database.pool(vertx, Settings.defaults().with("pg.url", pgUrl)))
        .assertEachPlacedOnce(ids);
    Ledger.assertPublishedOnce(bootstrap, Topics.STORE_EVENTS, "store.order-accepted", ids);
  }

  private ClusterMember member(
      Path dir, Map<String, String> common, int busPort, String... services) throws Exception {
    ClusterMember m = ClusterMember.start(dir, common, busPort, services);
    processes.add(m.process());
    return m;
  }

  /** How many partitions each member of the consumer group owns, largest first. */
  private static List<Integer> assignments(String bootstrap, String group) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    try (Admin admin = Admin.create(p)) {
      ConsumerGroupDescription d =
          admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get();
      return d.members().stream()
          .map(MemberDescription::assignment)
          .map(a -> a.topicPartitions().size())
          .sorted((x, y) -> y - x)
          .toList();
    }
  }
}
