package dev.baedal.systemtests;

import static dev.baedal.systemtests.TestSystem.GOOD_CARD;
import static dev.baedal.systemtests.TestSystem.chickenOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baedal.devinfra.TestInfra;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Read your writes (contract section 3): what a caller was told is what the next read shows, and a
 * command on what was shown is never refused because a context has not caught up.
 */
class ReadYourWritesTest {
  private static TestSystem system;
  private static String kim;

  @BeforeAll
  static void start() {
    system = TestSystem.start();
    kim = system.login("kim");
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  @Test
  @DisplayName("after each of 50 orders placed back to back, the next reads show it: never a 404")
  void placedOrdersAreReadAtOnce() {
    for (int i = 0; i < 50; i++) {
      TestSystem.Response placed =
          system.placeOrder(kim, UUID.randomUUID().toString(), chickenOrder(GOOD_CARD));
      assertThat(placed.status()).as(placed.body()).isEqualTo(201);
      String id = placed.json().getString("orderId");
      TestSystem.Response one = system.get("/api/orders/" + id, kim);
      assertThat(one.status()).as("order %d: %s", i, one.body()).isEqualTo(200);
      assertThat(one.json().getString("status")).isEqualTo("PAID");
      assertThat(system.get("/api/orders", kim).array().stream())
          .as("order %d in the list", i)
          .anyMatch(o -> id.equals(((JsonObject) o).getString("orderId")));
    }
  }

  @Test
  @DisplayName("the order's socket opens right after the 201 with the order in it")
  void socketRightAfterPlacing() {
    String id = system.placeAs(kim, chickenOrder(GOOD_CARD));
    WsClient ws = WsClient.connect(system, "/ws/orders/" + id, kim);
    JsonObject first = ws.await("the snapshot", m -> id.equals(m.getString("orderId")));
    assertThat(first.getString("status")).isEqualTo("PAID");
    ws.close();
  }

  @Test
  @DisplayName(
      "a socket for an order whose 201 went out before its view (the query side held up) waits"
          + " for the view instead of answering 404, while the query side is behind, and opens"
          + " with it")
  void socketWaitsForALateView() {
    // a real hold-up: another session locks the views, so the projection waits on PostgreSQL
    SqlConnection blocker = TestInfra.join(system.pool.getConnection());
    CompletableFuture<WsClient> opening;
    String id;
    try {
      TestInfra.join(blocker.query("begin").execute());
      TestInfra.join(blocker.query("lock table query_svc.order_views in exclusive mode").execute());
      // answered after read-your-writes.timeout-ms, without its view
      id = system.placeAs(kim, chickenOrder(GOOD_CARD));
      opening = WsClient.open(system, "/ws/orders/" + id, kim);
      // longer than read-your-writes.timeout-ms (3 s): the query side is behind all that time, and
      // the socket waits as long as it is behind on top
      await("the handshake waits while the view cannot be written")
          .during(Duration.ofMillis(4000))
          .atMost(Duration.ofSeconds(6))
          .until(() -> !opening.isDone());
    } finally {
      TestInfra.join(blocker.query("rollback").execute());
      TestInfra.join(blocker.close());
    }
    WsClient ws = opening.orTimeout(10, TimeUnit.SECONDS).join();
    String orderId = id;
    JsonObject first = ws.await("the snapshot", m -> orderId.equals(m.getString("orderId")));
    assertThat(first.getString("status")).isEqualTo("PAID");
    ws.close();
    // the projection was held up past admission.max-backlog-ms: the next test's orders would get
    // 503 until it has caught up
    system.awaitCaughtUp();
  }

  @Test
  @DisplayName(
      "a customer who confirms the moment the socket shows DELIVERED is never refused, nor a rider"
          + " who claims the moment cooking started or picks up the moment the food is cooked")
  void commandsOnWhatWasShown() {
    String store = system.login("store-1");
    String rider = system.login("rider-1");
    for (int i = 0; i < 10; i++) {
      String id = system.placeAs(kim, chickenOrder(GOOD_CARD));
      WsClient ws = WsClient.connect(system, "/ws/orders/" + id, kim);
      assertThat(system.post("/api/store/orders/" + id + "/accept", store, null).status())
          .isEqualTo(200);
      assertThat(system.post("/api/store/orders/" + id + "/start-cooking", store, null).status())
          .isEqualTo(200);
      // the rider context opens the delivery a moment after the store answered
      assertThat(
              system
                  .post("/api/rider/deliveries/" + id + "/claim", rider, LiveWorkTest.NEAR_STORE_1)
                  .status())
          .isEqualTo(200);
      // the rider context hears of the finished cooking a moment after the store answered
      assertThat(system.post("/api/store/orders/" + id + "/finish-cooking", store, null).status())
          .isEqualTo(200);
      TestSystem.Response pickup =
          system.post("/api/rider/deliveries/" + id + "/pickup", rider, null);
      assertThat(pickup.status()).as(pickup.body()).isEqualTo(200);
      assertThat(system.post("/api/rider/deliveries/" + id + "/deliver", rider, null).status())
          .isEqualTo(200);
      ws.await("DELIVERED", m -> "DELIVERED".equals(m.getString("status")));
      TestSystem.Response confirm = system.post("/api/orders/" + id + "/confirm", kim, null);
      assertThat(confirm.status()).as("order %d: %s", i, confirm.body()).isEqualTo(200);
      ws.close();
    }
  }
}
