package dev.baedal.launcher;

import static dev.baedal.launcher.TestSystem.GOOD_CARD;
import static dev.baedal.launcher.TestSystem.chickenOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.baedal.devinfra.KafkaProbe;
import dev.baedal.devinfra.TestInfra;
import dev.baedal.platform.Topics;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BrokerOutageTest {
  private static final int ORDERS = 12;
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
      "with the broker stopped orders are still accepted; after it restarts every event arrives exactly once")
  void ordersSurviveABrokerOutage() {
    String kim = system.login("kim");
    Set<String> orderIds = new HashSet<>();
    TestInfra.broker().stop();
    try {
      for (int i = 0; i < ORDERS; i++) {
        TestSystem.Response r =
            system.placeOrder(kim, UUID.randomUUID().toString(), chickenOrder(GOOD_CARD));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        orderIds.add(r.json().getString("orderId"));
      }
      assertThat(system.count("select count(*) from order_svc.outbox where sent_at is null"))
          .isGreaterThanOrEqualTo(ORDERS);
    } finally {
      TestInfra.broker().start();
    }

    List<ConsumerRecord<String, String>> events =
        KafkaProbe.read(
            List.of(Topics.ORDER_EVENTS, Topics.PAYMENT_EVENTS),
            r -> orderIds.contains(r.key()),
            2 * ORDERS,
            Duration.ofSeconds(90));

    List<String> ids = events.stream().map(r -> new JsonObject(r.value()).getString("id")).toList();
    assertThat(ids).hasSize(2 * ORDERS).doesNotHaveDuplicates();
    assertThat(events)
        .filteredOn(r -> r.topic().equals(Topics.ORDER_EVENTS))
        .extracting(ConsumerRecord::key)
        .containsExactlyInAnyOrderElementsOf(orderIds);
    assertThat(events)
        .filteredOn(r -> r.topic().equals(Topics.PAYMENT_EVENTS))
        .extracting(ConsumerRecord::key)
        .containsExactlyInAnyOrderElementsOf(orderIds);
  }
}
