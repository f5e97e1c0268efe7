package dev.baedal.launcher;

import static dev.baedal.devinfra.TestInfra.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PartitionTest {
  private static final DeliveryOptions SHORT = new DeliveryOptions().setSendTimeout(1500);

  @Test
  @DisplayName(
      "two clustered JVMs' nodes behind proxies: a request between them works, fails while the"
          + " network is partitioned, and works again once it is healed")
  void requestAcrossAPartition() throws Exception {
    try (ProxiedCluster cluster = new ProxiedCluster(2)) {
      Vertx a = join(cluster.start(0));
      Vertx b = join(cluster.start(1));
      join(b.eventBus().consumer("ping", m -> m.reply("pong " + m.body())).completion());

      Awaitility.await("a reaches b")
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(() -> "pong 1".equals(join(a.eventBus().request("ping", "1", SHORT)).body()));
      ProxiedCluster.Member mb = cluster.members().get(1);
      assertThat(mb.bus().accepted())
          .as("the request went through b's event-bus proxy")
          .isPositive();
      assertThat(cluster.members().get(0).hazelcast().accepted() + mb.hazelcast().accepted())
          .as("Hazelcast went through the proxies")
          .isPositive();

      cluster.partition();
      try {
        assertThatThrownBy(() -> join(a.eventBus().request("ping", "2", SHORT)))
            .hasRootCauseInstanceOf(ReplyException.class);
        // (b itself may not reach its own consumer either while partitioned: the subscription
        // lookup asks Hazelcast, whose partition of that data may be owned by the other member)
        assertThat(cluster.members().get(1).bus().open())
            .as("the connection to b's event bus hangs open, as over a pulled cable")
            .isPositive();
      } finally {
        cluster.heal();
      }

      Awaitility.await("a reaches b again after the partition healed")
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(() -> "pong 4".equals(join(a.eventBus().request("ping", "4", SHORT)).body()));
    }
  }
}
