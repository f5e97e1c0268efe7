package dev.baedal.systemtests;

import static dev.baedal.devinfra.TestInfra.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.baedal.launcher.Cluster;
import dev.baedal.platform.Settings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clustered event bus keeps non-members out (issue 11, finding 2), with real Vert.x instances
 * joined by Hazelcast on loopback: event-bus TLS with client certificates from the CA that {@code
 * deploy/cluster-tls.sh} makes, and Hazelcast membership only with {@code cluster.secret}.
 */
class ClusterSecurityTest {
  @TempDir static Path dir;
  private static Path members;
  private static Path rogue;
  private final List<Vertx> started = new ArrayList<>();

  @BeforeAll
  static void certificates() throws Exception {
    members = makeCa("members");
    rogue = makeCa("rogue");
  }

  /** Runs deploy/cluster-tls.sh into {@code dir/name}: its own CA and member certificate. */
  private static Path makeCa(String name) throws Exception {
    Path out = dir.resolve(name);
    Process p =
        new ProcessBuilder("bash", "../deploy/cluster-tls.sh", out.toString(), "2")
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(output).isZero();
    assertThat(Files.getPosixFilePermissions(out.resolve("ca.p12")).toString())
        .doesNotContain("GROUP", "OTHERS");
    return out;
  }

  @AfterEach
  void close() {
    for (int i = started.size() - 1; i >= 0; i--) {
      join(started.get(i).close());
    }
  }

  private static Settings tls(Settings s, Path ca) throws IOException {
    Properties env = new Properties();
    try (var in = Files.newBufferedReader(ca.resolve("secret.env"))) {
      env.load(in);
    }
    return s.with("cluster.tls", true)
        .with("cluster.tls.keystore-location", ca.resolve("cluster-keystore.p12").toString())
        .with(
            "cluster.tls.keystore-password",
            env.getProperty("BAEDAL_CLUSTER_TLS_KEYSTORE_PASSWORD"))
        .with("cluster.tls.truststore-location", ca.resolve("cluster-truststore.p12").toString())
        .with(
            "cluster.tls.truststore-password",
            env.getProperty("BAEDAL_CLUSTER_TLS_TRUSTSTORE_PASSWORD"));
  }

  private Vertx node(Settings settings, int port) {
    Settings s = settings.with("cluster.port", port);
    ClusterManager manager = Cluster.manager(s);
    VertxOptions options = new VertxOptions();
    Cluster.configure(options.getEventBusOptions(), s);
    Vertx vertx = join(Vertx.builder().with(options).withClusterManager(manager).buildClustered());
    started.add(vertx);
    return vertx;
  }

  private static Settings common(int... ports) {
    StringBuilder list = new StringBuilder();
    for (int port : ports) {
      list.append(list.length() == 0 ? "" : ",").append("127.0.0.1:").append(port);
    }
    return Settings.defaults()
        .with("cluster.name", "test-" + UUID.randomUUID())
        .with("cluster.members", list.toString());
  }

  @Test
  @DisplayName(
      "with event-bus TLS, members with the cluster's certificate talk; a process in the Hazelcast"
          + " cluster with another CA's certificate can neither send to them nor receive from them")
  void tlsKeepsOutsidersOff() throws Exception {
    int[] ports = {JarProcess.freePort(), JarProcess.freePort(), JarProcess.freePort()};
    Settings common = common(ports);
    Vertx first = node(tls(common, members), ports[0]);
    Vertx second = node(tls(common, members), ports[1]);
    join(second.eventBus().consumer("echo", m -> m.reply("echo " + m.body())).completion());
    await("a member's request reaches the other over TLS")
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(() -> "echo hi".equals(join(first.eventBus().request("echo", "hi")).body()));

    // the outsider joins Hazelcast (no cluster.secret here) but has another CA's certificate
    Vertx outsider = node(tls(common, rogue), ports[2]);
    AtomicInteger stolen = new AtomicInteger();
    join(
        outsider
            .eventBus()
            .consumer("payment.authorize", m -> stolen.incrementAndGet())
            .completion());
    await("the outsider's registration is known to the members")
        .atMost(Duration.ofSeconds(10))
        .until(() -> ((HazelcastClusterManager) clusterManager(first)).getNodes().size() == 3);
    Future<?> sent =
        outsider.eventBus().request("echo", "forged", new DeliveryOptions().setSendTimeout(3000));
    assertThatThrownBy(() -> join(sent)).as("the outsider's request is never answered");
    for (int i = 0; i < 20; i++) {
      first.eventBus().send("payment.authorize", "card data " + i);
    }
    await("the members' messages never reach the outsider")
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(5))
        .until(() -> stolen.get() == 0);
    // the members still talk to each other
    assertThat(join(first.eventBus().request("echo", "still")).body()).isEqualTo("echo still");
  }

  @Test
  @DisplayName("without a client certificate (no TLS at all), an outsider's request goes nowhere")
  void plainOutsiderRefused() throws Exception {
    int[] ports = {JarProcess.freePort(), JarProcess.freePort()};
    Settings common = common(ports);
    Vertx member = node(tls(common, members), ports[0]);
    join(member.eventBus().consumer("order.place", m -> m.reply("placed")).completion());
    Vertx outsider = node(common, ports[1]);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> ((HazelcastClusterManager) clusterManager(member)).getNodes().size() == 2);
    Future<?> sent =
        outsider
            .eventBus()
            .request("order.place", "{}", new DeliveryOptions().setSendTimeout(3000));
    assertThatThrownBy(() -> join(sent)).as("the plain outsider's request is never answered");
  }

  @Test
  @DisplayName(
      "with cluster.secret, members join each other, and a process without the secret (or with"
          + " another) cannot join the Hazelcast cluster at all")
  void secretKeepsOutsidersOutOfTheCluster() throws IOException {
    int[] ports = {JarProcess.freePort(), JarProcess.freePort(), JarProcess.freePort()};
    Settings common = common(ports);
    String secret = "s".repeat(20) + UUID.randomUUID();
    Vertx first = node(common.with("cluster.secret", secret), ports[0]);
    node(common.with("cluster.secret", secret), ports[1]);
    HazelcastClusterManager manager = (HazelcastClusterManager) clusterManager(first);
    assertThat(manager.getNodes()).hasSize(2);

    assertThatThrownBy(() -> node(common, ports[2])).as("no secret: the join is refused");
    assertThatThrownBy(() -> node(common.with("cluster.secret", "x".repeat(40)), ports[2]))
        .as("another secret: the join is refused");
    assertThat(manager.getNodes()).as("the members are still the two").hasSize(2);
  }

  private static ClusterManager clusterManager(Vertx vertx) {
    return ((io.vertx.core.internal.VertxInternal) vertx).clusterManager();
  }
}
