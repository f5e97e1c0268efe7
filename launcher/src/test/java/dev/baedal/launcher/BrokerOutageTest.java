package dev.baedal.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.baedal.devinfra.TestInfra;
import dev.baedal.platform.Topics;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BrokerOutageTest {
  private static TestSystem system;

  @BeforeAll
  static void start() {
    assumeTrue(System.getenv("BAEDAL_KAFKA") == null, "needs the in-process broker to stop it");
    system = TestSystem.start();
  }

  @AfterAll
  static void stop() {
    if (system != null) {
      system.close();
    }
  }

  @Test
  @DisplayName(
      "under load, with the broker stopped, orders are still accepted; after it restarts the outbox drains"
          + " and every order is in every context once")
  void ordersSurviveABrokerOutage() throws InterruptedException {
    Load load = Load.start(system, system.login("kim"), 3);
    List<String> ids;
    try (load) {
      load.awaitMore(10);
      TestInfra.broker().stop();
      try {
        load.awaitMore(30);
        assertThat(system.count("select count(*) from order_svc.outbox"))
            .as("events wait in the outbox while the broker is down")
            .isGreaterThanOrEqualTo(25);
      } finally {
        TestInfra.broker().start();
      }
      load.awaitMore(10);
      ids = load.stop();
    }
    assertThat(load.statuses()).as("every request while the broker was down").containsOnlyKeys(201);

    await("the outbox drains")
        .atMost(Duration.ofSeconds(90))
        .until(() -> system.count("select count(*) from order_svc.outbox") == 0);
    system.ledger.assertEachPlacedOnce(ids);
    Ledger.assertPublishedOnce(
        TestInfra.kafka(), system.topic(Topics.ORDER_EVENTS), "order.placed", ids);
    Ledger.assertPublishedOnce(
        TestInfra.kafka(), system.topic(Topics.PAYMENT_EVENTS), "payment.authorized", ids);
  }
}
