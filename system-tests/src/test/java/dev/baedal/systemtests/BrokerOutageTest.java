package dev.baedal.systemtests;

import static dev.baedal.systemtests.TestSystem.GOOD_CARD;
import static dev.baedal.systemtests.TestSystem.chickenOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.baedal.devinfra.TestInfra;
import dev.baedal.platform.Topics;
import io.vertx.core.json.JsonObject;
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
      "under load, with the broker stopped, orders are still accepted, and a new one is shown to its"
          + " customer and its store at once; after it restarts the outbox drains and every order"
          + " is in every context once")
  void ordersSurviveABrokerOutage() throws InterruptedException {
    Load load = Load.start(system, system.login("kim"), 3);
    List<String> ids;
    java.time.Instant down;
    java.time.Instant up;
    try (load) {
      load.awaitMore(10);
      TestInfra.broker().stop();
      down = java.time.Instant.now();
      try {
        load.awaitMore(30);
        assertThat(system.count("select count(*) from order_svc.outbox"))
            .as("events wait in the outbox while the broker is down")
            .isGreaterThanOrEqualTo(25);
        // a new order is shown all the same: the order context hands its order.placed to the
        // query side and the store over the event bus as well as through the broker
        String lee = system.login("lee");
        String store = system.login("store-1");
        String early = system.placeAs(lee, chickenOrder(GOOD_CARD));
        TestSystem.Response view = system.get("/api/orders/" + early, lee);
        assertThat(view.status()).as(view.body()).isEqualTo(200);
        assertThat(view.json().getString("status")).isEqualTo("PAID");
        assertThat(system.get("/api/store/orders", store).array().stream())
            .as("the store owner's orders, while the broker is down")
            .anyMatch(o -> early.equals(((JsonObject) o).getString("orderId")));
      } finally {
        up = java.time.Instant.now();
        TestInfra.broker().start();
      }
      load.awaitMore(10);
      ids = load.stop();
    }
    // while it was down, every order was taken (the outbox keeps the events); once it is back, the
    // consumers catch up on what waited, and admission control may ask for a retry meanwhile
    assertThat(
            load.attempts().values().stream()
                .flatMap(List::stream)
                .filter(a -> a.at().isAfter(down) && a.at().plusMillis(a.millis()).isBefore(up)))
        .as("every request while the broker was down: " + load.report())
        .isNotEmpty()
        .allSatisfy(a -> assertThat(a.status()).isEqualTo(201));

    await("the outbox drains")
        .atMost(Duration.ofSeconds(90))
        .until(() -> system.count("select count(*) from order_svc.outbox") == 0);
    // order by order: each attempted order is stored and charged once, or neither; each created
    // one has its events once in the log
    new OrderLedger(Money.tables(system.pool), TestInfra.kafka())
        .onePerCreatedOrder(system.topic(Topics.ORDER_EVENTS), "order.placed")
        .onePerCreatedOrder(system.topic(Topics.PAYMENT_EVENTS), "payment.authorized")
        .assertBalanced(load.attempts(), List.of(load.customer()), Duration.ofSeconds(60));
    system.ledger.assertEachPlacedOnce(ids);
  }
}
