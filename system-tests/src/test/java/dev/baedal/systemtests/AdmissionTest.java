package dev.baedal.systemtests;

import static dev.baedal.systemtests.TestSystem.DECLINED_CARD;
import static dev.baedal.systemtests.TestSystem.GOOD_CARD;
import static dev.baedal.systemtests.TestSystem.chickenOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baedal.devinfra.TestInfra;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Admission control (contract section 2): while the consumers that show an order's progress are too
 * far behind, or more placements are under way than the gateway lets through at once, new orders
 * get a fast 503 with Retry-After and nothing is charged; commands on orders already placed and
 * reads go on; once the consumers catch up, or a placement is answered, orders are taken again.
 */
class AdmissionTest {
  private static TestSystem system;
  private static String kim;
  private static String store1;

  @BeforeAll
  static void start() {
    system =
        TestSystem.start(
            s -> s.with("admission.max-backlog-ms", 1000).with("read-your-writes.timeout-ms", 300));
    kim = system.login("kim");
    store1 = system.login("store-1");
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  @Test
  @DisplayName(
      "with the query side held up, new orders are refused with 503 + Retry-After and charge"
          + " nothing; reads and other commands go on; once it catches up, orders are taken"
          + " again")
  void opensAndCloses() {
    String earlier = system.placeAs(kim, chickenOrder(GOOD_CARD));
    // a real hold-up: another session locks the views, so the projection waits on PostgreSQL
    SqlConnection blocker = TestInfra.join(system.pool.getConnection());
    TestInfra.join(blocker.query("begin").execute());
    TestInfra.join(blocker.query("lock table query_svc.order_views in exclusive mode").execute());
    try {
      String stuck = system.placeAs(kim, chickenOrder(GOOD_CARD)); // its view cannot be written
      String[] key = new String[1];
      TestSystem.Response[] refused = new TestSystem.Response[1];
      await("admission closes")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                key[0] = UUID.randomUUID().toString();
                refused[0] = system.placeOrder(kim, key[0], chickenOrder(GOOD_CARD));
                return refused[0].status() == 503;
              });
      assertThat(refused[0].header("Retry-After")).matches("[1-9][0-9]*");
      assertThat(refused[0].header("Content-Type")).isEqualTo("application/problem+json");
      assertThat(refused[0].json().getString("detail")).contains("busy");
      // nothing was charged or created for the refused key
      String refusedId = Load.orderIdFor("kim", key[0]);
      assertThat(
              system.count(
                  "select count(*) from payment_svc.payments where order_id = $1::uuid", refusedId))
          .isZero();
      assertThat(
              system.count(
                  "select count(*) from order_svc.orders where order_id = $1::uuid", refusedId))
          .isZero();
      // reads go on: the customer's order and list, the menu
      TestSystem.Response view = system.get("/api/orders/" + earlier, kim);
      assertThat(view.status()).isEqualTo(200);
      assertThat(view.json().getString("status")).isEqualTo("PAID");
      assertThat(system.get("/api/orders", kim).status()).isEqualTo(200);
      assertThat(system.get("/api/stores/store-1/menu", kim).status()).isEqualTo(200);
      // orders already placed move on
      assertThat(system.post("/api/store/orders/" + earlier + "/accept", store1, null).status())
          .isEqualTo(200);
      assertThat(system.post("/api/store/orders/" + stuck + "/accept", store1, null).status())
          .isEqualTo(200);
    } finally {
      TestInfra.join(blocker.query("rollback").execute());
      TestInfra.join(blocker.close());
    }
    await("admission opens again")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                system
                        .placeOrder(kim, UUID.randomUUID().toString(), chickenOrder(GOOD_CARD))
                        .status()
                    == 201);
    system.awaitStatus(earlier, kim, "ACCEPTED");
  }

  @Test
  @DisplayName(
      "with admission.max-placing placements under way the next is refused with 503 +"
          + " Retry-After and charges nothing; a placement done, paid or declined, frees its place")
  void boundsPlacementsUnderWay() {
    try (TestSystem one = TestSystem.start(s -> s.with("admission.max-placing", 1))) {
      String customer = one.login("kim");
      one.cardNetwork(1000, 0); // each payment takes a second: two sent together overlap
      List<TestSystem.Response> pair = new ArrayList<>();
      List<String> keys = new ArrayList<>();
      await("of two placements sent together, one is placed and the other refused")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                keys.clear();
                keys.add(UUID.randomUUID().toString());
                keys.add(UUID.randomUUID().toString());
                List<CompletableFuture<TestSystem.Response>> calls =
                    keys.stream()
                        .map(
                            k ->
                                CompletableFuture.supplyAsync(
                                    () -> one.placeOrder(customer, k, chickenOrder(GOOD_CARD))))
                        .toList();
                pair.clear();
                calls.forEach(c -> pair.add(c.join()));
                // both placed: the second came after the first was done; try again
                return pair.stream()
                    .map(TestSystem.Response::status)
                    .sorted()
                    .toList()
                    .equals(List.of(201, 503));
              });
      int refusedAt = pair.get(0).status() == 503 ? 0 : 1;
      TestSystem.Response refused = pair.get(refusedAt);
      assertThat(refused.header("Retry-After")).isEqualTo("1");
      assertThat(refused.json().getString("detail"))
          .isEqualTo("we are busy, please try again shortly");
      String refusedId = Load.orderIdFor("kim", keys.get(refusedAt));
      assertThat(
              one.count(
                  "select count(*) from payment_svc.payments where order_id = $1::uuid", refusedId))
          .isZero();
      assertThat(
              one.count(
                  "select count(*) from order_svc.orders where order_id = $1::uuid", refusedId))
          .isZero();
      // a placement that fails frees its place as one that succeeds does
      one.cardNetwork(0, 0);
      TestSystem.Response declined =
          one.placeOrder(customer, UUID.randomUUID().toString(), chickenOrder(DECLINED_CARD));
      assertThat(declined.status()).isEqualTo(402);
      for (int i = 0; i < 3; i++) {
        assertThat(
                one.placeOrder(customer, UUID.randomUUID().toString(), chickenOrder(GOOD_CARD))
                    .status())
            .isEqualTo(201);
      }
    }
  }
}
