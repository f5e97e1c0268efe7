package dev.baedal.launcher;

import static dev.baedal.devinfra.TestInfra.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baedal.platform.Settings;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.spi.cluster.ClusterManager;
import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The Hazelcast set-up of {@link Cluster}, with two members in this JVM. */
class ClusterTest {
  @Test
  @DisplayName(
      "two members find each other on loopback by TCP, share the event bus, and one that stops leaves at once")
  void joinTalkLeave() throws IOException {
    int[] ports = {Ports.free(), Ports.free()};
    Settings common =
        Settings.defaults()
            .with("cluster.name", "test-" + UUID.randomUUID())
            .with("cluster.members", "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1]);
    ClusterManager firstManager = Cluster.manager(common.with("cluster.port", ports[0]));
    Vertx first = join(clustered(common, firstManager));
    Vertx second =
        join(
            clustered(
                common.with("cluster.port", ports[1]),
                Cluster.manager(common.with("cluster.port", ports[1]))));
    try {
      assertThat(firstManager.getNodes()).hasSize(2);
      join(second.eventBus().consumer("echo", m -> m.reply("echo " + m.body())).completion());
      await()
          .atMost(Duration.ofSeconds(10))
          .ignoreExceptions()
          .untilAsserted(
              () ->
                  assertThat(join(first.eventBus().<String>request("echo", "hi")).body())
                      .isEqualTo("echo hi"));

      long leaving = System.nanoTime();
      join(second.close());
      await().atMost(Duration.ofSeconds(3)).until(() -> firstManager.getNodes().size() == 1);
      System.out.printf(
          "the other member saw it leave after %d ms%n", (System.nanoTime() - leaving) / 1_000_000);
    } finally {
      join(first.close());
    }
  }

  private static io.vertx.core.Future<Vertx> clustered(Settings settings, ClusterManager manager) {
    VertxOptions options = new VertxOptions();
    Cluster.configure(options.getEventBusOptions(), settings);
    return Vertx.builder().with(options).withClusterManager(manager).buildClustered();
  }
}
