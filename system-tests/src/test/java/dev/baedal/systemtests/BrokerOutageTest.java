package dev.baedal.systemtests;

import static dev.baedal.systemtests.TestSystem.GOOD_CARD;
import static dev.baedal.systemtests.TestSystem.chickenOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.baedal.devinfra.TestInfra;
import dev.baedal.platform.Topics;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
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
          + " customer and its store at once, and its delivery opens for a rider; after it restarts"
          + " its customer is shown every step in order, the outbox drains and every order is in"
          + " every context once")
  void ordersSurviveABrokerOutage() throws InterruptedException {
    Load load = Load.start(system, system.login("kim"), 3);
    List<String> ids;
    WsClient watcher = null;
    String early = null;
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
        String id = system.placeAs(lee, chickenOrder(GOOD_CARD));
        early = id;
        TestSystem.Response view = system.get("/api/orders/" + id, lee);
        assertThat(view.status()).as(view.body()).isEqualTo(200);
        assertThat(view.json().getString("status")).isEqualTo("PAID");
        watcher = WsClient.connect(system, "/ws/orders/" + id, lee);
        assertThat(system.get("/api/store/orders", store).array().stream())
            .as("the store owner's orders, while the broker is down")
            .anyMatch(o -> id.equals(((JsonObject) o).getString("orderId")));
        // the store hands a start and an end of cooking to the rider context the same way: the
        // delivery is offered, claimed and picked up with no broker in between
        String rider = system.login("rider-1");
        assertThat(system.storeAction(store, early, "accept", null).status()).isEqualTo(200);
        String path = "/api/store/orders/" + early;
        assertThat(system.post(path + "/start-cooking", store, null).status()).isEqualTo(200);
        String deliveries = "/api/rider/deliveries/" + early;
        TestSystem.Response claim =
            system.post(deliveries + "/claim", rider, LifecycleTest.NEAR_STORE_1);
        assertThat(claim.status()).as(claim.body()).isEqualTo(200);
        assertThat(system.post(path + "/finish-cooking", store, null).status()).isEqualTo(200);
        TestSystem.Response pickup = system.post(deliveries + "/pickup", rider, null);
        assertThat(pickup.status())
            .as("picked up, the food known to be ready: " + pickup.body())
            .isEqualTo(200);
      } finally {
        up = java.time.Instant.now();
        if (watcher == null) {
          TestInfra.broker().start();
        } else {
          restartWithStoreRelayHeld(early, watcher);
        }
      }
      load.awaitMore(10);
      ids = load.stop();
    }
    // the query side had the rider's claim and pickup before the start of cooking they follow;
    // the customer is shown every step all the same, in order
    watcher.await(
        "the pickup on the customer's socket", m -> "PICKED_UP".equals(m.getString("status")));
    assertThat(watcher.statusChanges())
        .isIn(
            List.of("PAID", "ACCEPTED", "COOKING", "RIDER_ASSIGNED", "COOKED", "PICKED_UP"),
            List.of("PAID", "ACCEPTED", "COOKING", "COOKED", "PICKED_UP"));
    watcher.close();
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

  /**
   * Starts the broker while the store's relay is held back (a session locks its outbox) until the
   * rider's claim and pickup of {@code orderId} have reached the query side: they come before the
   * start of cooking they follow, an order a busy relay can give them.
   */
  private static void restartWithStoreRelayHeld(String orderId, WsClient watcher) {
    SqlConnection blocker = TestInfra.join(system.pool.getConnection());
    try {
      TestInfra.join(blocker.query("begin").execute());
      TestInfra.join(blocker.query("lock table store_svc.outbox").execute());
      TestInfra.broker().start();
      await("the rider's events applied, or held back, by the query side")
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  system.count("select count(*) from rider_svc.outbox") == 0
                      && (system.count(
                                  "select count(*) from query_svc.order_views"
                                      + " where order_id = $1::uuid and state ? 'held'",
                                  orderId)
                              == 1
                          || watcher.messages().stream()
                              .anyMatch(m -> "PICKED_UP".equals(m.getString("status")))));
    } finally {
      TestInfra.join(blocker.query("rollback").execute());
      TestInfra.join(blocker.close());
    }
  }
}
