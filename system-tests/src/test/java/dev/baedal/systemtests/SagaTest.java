package dev.baedal.systemtests;

import static dev.baedal.systemtests.TestSystem.GOOD_CARD;
import static dev.baedal.systemtests.TestSystem.chickenOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The cancel and modify sagas, choreographed by events between order, store and payment. */
class SagaTest {
  private static TestSystem system;
  private static String kim;
  private static String store1;

  @BeforeAll
  static void start() {
    system = TestSystem.start();
    kim = system.login("kim");
    store1 = system.login("store-1");
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  @Test
  @DisplayName("a cancel before cooking ends CANCELLED with exactly one refund of everything")
  void cancelBeforeCooking() {
    String id = system.placeAs(kim, chickenOrder(GOOD_CARD));
    system.storeAction(store1, id, "accept", null);
    system.awaitStatus(id, kim, "ACCEPTED");

    TestSystem.Response r = system.post("/api/orders/" + id + "/cancel", kim, null);
    assertThat(r.status()).isEqualTo(202);
    assertThat(r.json().getString("status")).isEqualTo("CANCEL_REQUESTED");
    system.awaitStatus(id, kim, "CANCELLED");
    system.awaitRefunds(id, 1);
    assertThat(
            system.count("select refunded from payment_svc.payments where order_id = $1::uuid", id))
        .isEqualTo(40500);
    assertThat(
            system.count(
                "select count(*) from store_svc.store_orders where order_id = $1::uuid and status = 'CANCELLED'",
                id))
        .isOne();
    assertThat(system.post("/api/orders/" + id + "/cancel", kim, null).status()).isEqualTo(409);
    assertThat(system.post("/api/store/orders/" + id + "/start-cooking", store1, null).status())
        .isEqualTo(409);
  }

  @Test
  @DisplayName("a cancel after cooking started is refused with 409 and nothing is refunded")
  void cancelAfterCooking() {
    String id = system.placeAs(kim, chickenOrder(GOOD_CARD));
    system.storeAction(store1, id, "accept", null);
    system.post("/api/store/orders/" + id + "/start-cooking", store1, null);
    system.awaitStatus(id, kim, "COOKING");

    TestSystem.Response r = system.post("/api/orders/" + id + "/cancel", kim, null);
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.json().getString("detail")).contains("COOKING");
    assertThat(
            system.count("select count(*) from payment_svc.refunds where order_id = $1::uuid", id))
        .isZero();
  }

  @Test
  @DisplayName(
      "a cancel racing start-cooking resolves to exactly one outcome, and cooked food is never refunded")
  void cancelRacesCooking() {
    int cancelled = 0;
    int cooked = 0;
    for (int round = 0; round < 12; round++) {
      int i = round;
      String id = system.placeAs(kim, chickenOrder(GOOD_CARD));
      system.storeAction(store1, id, "accept", null);
      system.awaitStatus(id, kim, "ACCEPTED");

      CompletableFuture<TestSystem.Response> cook =
          CompletableFuture.supplyAsync(
              () -> system.post("/api/store/orders/" + id + "/start-cooking", store1, null),
              // every other round the owner is a little slower, so that both outcomes happen
              CompletableFuture.delayedExecutor(i % 2 == 0 ? 0 : 150, TimeUnit.MILLISECONDS));
      CompletableFuture<TestSystem.Response> cancel =
          CompletableFuture.supplyAsync(
              () -> system.post("/api/orders/" + id + "/cancel", kim, null));
      int cookStatus = cook.join().status();
      int cancelStatus = cancel.join().status();
      assertThat(cookStatus).isIn(200, 409);
      assertThat(cancelStatus).isIn(202, 409);

      // one of the two outcomes shows: the store cooks (the cancel refused, or too late) or the
      // order is cancelled
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  List.of("CANCELLED", "COOKING")
                      .contains(system.get("/api/orders/" + id, kim).json().getString("status")));
      JsonObject order = system.get("/api/orders/" + id, kim).json();
      String store = storeStatus(id);
      if ("CANCELLED".equals(order.getString("status"))) {
        cancelled++;
        assertThat(cookStatus).isEqualTo(409);
        assertThat(store).isEqualTo("CANCELLED");
        system.awaitRefunds(id, 1);
        assertThat(storeEvents(id))
            .contains("store.cancel-confirmed")
            .doesNotContain("store.cooking-started");
      } else {
        cooked++;
        assertThat(order.getString("status")).isEqualTo("COOKING");
        assertThat(cookStatus).isEqualTo(200);
        assertThat(store).isEqualTo("COOKING");
        if (cancelStatus == 202) {
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () ->
                      system.get("/api/orders/" + id, kim).json().getString("cancelRefusedReason")
                          != null);
          assertThat(system.get("/api/orders/" + id, kim).json().getString("cancelRefusedReason"))
              .contains("cooking");
        }
        // the store published no cancel confirmation, and the payment context, having handled
        // everything the store published about the order, refunded nothing
        assertThat(storeEvents(id))
            .contains("store.cooking-started")
            .doesNotContain("store.cancel-confirmed");
        system.awaitConsumed("payment-compensations");
        assertThat(
                system.count(
                    "select count(*) from payment_svc.refunds where order_id = $1::uuid", id))
            .isZero();
      }
    }
    System.out.printf("cancel vs start-cooking: %d cancelled, %d cooked%n", cancelled, cooked);
    assertThat(cancelled + cooked).isEqualTo(12);
  }

  @Test
  @DisplayName("changing the items before cooking charges the difference once, or refunds it once")
  void modifyUpAndDown() {
    JsonObject one =
        chickenOrder(GOOD_CARD).put("items", items("chicken-fried", 1)); // 18000 + 2000
    String id = system.placeAs(kim, one);
    system.storeAction(store1, id, "accept", null);
    system.awaitStatus(id, kim, "ACCEPTED");

    TestSystem.Response up =
        system.send(
            "PATCH",
            "/api/orders/" + id,
            kim,
            new JsonObject().put("items", items("chicken-fried", 2)).encode(),
            null);
    assertThat(up.status()).as(up.body()).isEqualTo(202);
    assertThat(up.json().getInteger("delta")).isEqualTo(18000);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> system.get("/api/orders/" + id, kim).json().getInteger("total") == 38000);
    assertThat(
            system.count(
                "select count(*) from payment_svc.adjustments where order_id = $1::uuid and amount = 18000 and status = 'CHARGED'",
                id))
        .isOne();
    assertThat(
            system.count("select amount from payment_svc.payments where order_id = $1::uuid", id))
        .isEqualTo(38000);

    TestSystem.Response down =
        system.send(
            "PATCH",
            "/api/orders/" + id,
            kim,
            new JsonObject().put("items", items("cola", 1)).encode(),
            null);
    assertThat(down.status()).as(down.body()).isEqualTo(202);
    assertThat(down.json().getInteger("delta")).isEqualTo(-33500);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> system.get("/api/orders/" + id, kim).json().getInteger("total") == 4500);
    system.awaitRefunds(id, 1);
    assertThat(system.count("select amount from payment_svc.refunds where order_id = $1::uuid", id))
        .isEqualTo(33500);
    assertThat(
            system.count("select refunded from payment_svc.payments where order_id = $1::uuid", id))
        .isEqualTo(33500);
    assertThat(
            system
                .rows("select items from store_svc.store_orders where order_id = $1::uuid", id)
                .get(0)
                .getJsonArray("items")
                .getJsonObject(0)
                .getString("menuId"))
        .isEqualTo("cola");

    system.post("/api/store/orders/" + id + "/start-cooking", store1, null);
    system.awaitStatus(id, kim, "COOKING");
    assertThat(
            system
                .send(
                    "PATCH",
                    "/api/orders/" + id,
                    kim,
                    new JsonObject().put("items", items("cola", 2)).encode(),
                    null)
                .status())
        .isEqualTo(409);
    assertThat(system.send("PATCH", "/api/orders/" + id, kim, "{\"items\": []}", null).status())
        .isEqualTo(400);
  }

  /** The types of the store's events about an order, as they are on the topic. */
  private static List<String> storeEvents(String id) {
    return dev.baedal.devinfra.KafkaProbe.read(
            List.of(system.topic(dev.baedal.platform.Topics.STORE_EVENTS)),
            r -> id.equals(r.key()),
            1,
            Duration.ofSeconds(30))
        .stream()
        .map(r -> dev.baedal.platform.events.CloudEvent.parse(r.value()).type())
        .toList();
  }

  private static String storeStatus(String id) {
    return system
        .rows("select status from store_svc.store_orders where order_id = $1::uuid", id)
        .get(0)
        .getString(0);
  }

  private static JsonArray items(String menuId, int quantity) {
    return new JsonArray().add(new JsonObject().put("menuId", menuId).put("quantity", quantity));
  }
}
