package dev.baedal.systemtests;

import static dev.baedal.systemtests.TestSystem.GOOD_CARD;
import static dev.baedal.systemtests.TestSystem.chickenOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baedal.devinfra.KafkaProbe;
import dev.baedal.platform.Topics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The order lifecycle through HTTP as customers, store owners and riders drive it. */
class LifecycleTest {
  /** Near Hanok Chicken (store-1, 37.4979, 127.0276). */
  static final JsonObject NEAR_STORE_1 = new JsonObject().put("lat", 37.4990).put("lng", 127.0280);

  private static TestSystem system;
  private static String kim;
  private static String lee;
  private static String store1;
  private static String store2;
  private static String rider1;
  private static String rider2;

  @BeforeAll
  static void start() {
    system = TestSystem.start();
    kim = system.login("kim");
    lee = system.login("lee");
    store1 = system.login("store-1");
    store2 = system.login("store-2");
    rider1 = system.login("rider-1");
    rider2 = system.login("rider-2");
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  @Test
  @DisplayName(
      "the happy path: place, accept, cook, claim, finish, pick up, deliver, confirm, thank-you")
  void happyPath() {
    String id = system.placeAs(kim, chickenOrder(GOOD_CARD));
    system.awaitStatus(id, kim, "PAID");

    assertThat(system.storeAction(store1, id, "accept", null).status()).isEqualTo(200);
    system.awaitStatus(id, kim, "ACCEPTED");

    TestSystem.Response cooking =
        system.post("/api/store/orders/" + id + "/start-cooking", store1, null);
    assertThat(cooking.status()).isEqualTo(200);
    assertThat(cooking.json().getString("status")).isEqualTo("COOKING");
    system.awaitStatus(id, kim, "COOKING");

    system.awaitDelivery(id);
    JsonArray offers = system.get("/api/rider/deliveries?lat=37.499&lng=127.028", rider1).array();
    JsonObject offer = find(offers, id);
    assertThat(offer.getDouble("distanceKm")).isLessThan(1.0);
    assertThat(offer.getInteger("etaMinutes")).isBetween(0, 3);
    assertThat(offer.getBoolean("express")).isFalse();
    assertThat(offer.getInteger("fee")).isEqualTo(2000);
    assertThat(offer.getJsonObject("storeLocation").getDouble("lat")).isEqualTo(37.4979);

    TestSystem.Response early =
        system.post("/api/rider/deliveries/" + id + "/pickup", rider1, null);
    assertThat(early.status()).as("nobody has claimed it yet").isEqualTo(404);
    assertThat(system.post("/api/rider/deliveries/" + id + "/claim", rider1, NEAR_STORE_1).status())
        .isEqualTo(200);
    JsonObject assigned = system.awaitStatus(id, kim, "RIDER_ASSIGNED");
    assertThat(assigned.getString("riderId")).isEqualTo("rider-1");
    assertThat(system.post("/api/rider/deliveries/" + id + "/pickup", rider1, null).status())
        .as("the food is still cooking")
        .isEqualTo(409);

    assertThat(system.post("/api/store/orders/" + id + "/finish-cooking", store1, null).status())
        .isEqualTo(200);
    system.awaitStatus(id, kim, "COOKED");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                system.post("/api/rider/deliveries/" + id + "/pickup", rider1, null).status()
                    == 200);
    system.awaitStatus(id, kim, "PICKED_UP");

    assertThat(system.post("/api/rider/deliveries/" + id + "/deliver", rider2, null).status())
        .as("another rider cannot deliver it")
        .isEqualTo(404);
    assertThat(system.post("/api/rider/deliveries/" + id + "/deliver", rider1, null).status())
        .isEqualTo(200);
    system.awaitStatus(id, kim, "DELIVERED");

    assertThat(system.post("/api/orders/" + id + "/confirm", lee, null).status()).isEqualTo(404);
    TestSystem.Response confirmed = system.post("/api/orders/" + id + "/confirm", kim, null);
    assertThat(confirmed.status()).isEqualTo(200);
    JsonObject done = system.awaitStatus(id, kim, "COMPLETED");
    assertThat(
            done.getJsonArray("timeline").stream()
                .map(e -> ((JsonObject) e).getString("status"))
                .toList())
        .containsExactly(
            "PAID",
            "ACCEPTED",
            "COOKING",
            "RIDER_ASSIGNED",
            "COOKED",
            "PICKED_UP",
            "DELIVERED",
            "COMPLETED");

    List<String> types =
        eventTypes(
            id,
            11,
            system.topic(Topics.ORDER_EVENTS),
            system.topic(Topics.STORE_EVENTS),
            system.topic(Topics.DELIVERY_EVENTS),
            system.topic(Topics.PAYMENT_EVENTS));
    assertThat(types)
        .containsExactlyInAnyOrder(
            "order.placed",
            "payment.authorized",
            "store.order-accepted",
            "store.cooking-started",
            "delivery.opened",
            "delivery.assigned",
            "store.cooking-finished",
            "delivery.picked-up",
            "delivery.delivered",
            "order.completed",
            "store.thanks-sent");
    assertThat(system.post("/api/orders/" + id + "/confirm", kim, null).status())
        .as("confirming twice is refused")
        .isEqualTo(409);
  }

  @Test
  @DisplayName("rejecting refunds the whole payment once and the order ends REJECTED")
  void reject() {
    String id = system.placeAs(kim, chickenOrder(GOOD_CARD));
    assertThat(system.storeAction(store1, id, "reject", new JsonObject()).status())
        .as("a reason is required")
        .isEqualTo(400);
    TestSystem.Response r =
        system.post(
            "/api/store/orders/" + id + "/reject",
            store1,
            new JsonObject().put("reason", "out of chicken"));
    assertThat(r.status()).isEqualTo(200);
    JsonObject order = system.awaitStatus(id, kim, "REJECTED");
    assertThat(order.getString("rejectReason")).isEqualTo("out of chicken");
    system.awaitRefunds(id, 1);
    assertThat(
            system.count("select refunded from payment_svc.payments where order_id = $1::uuid", id))
        .isEqualTo(40500);
    assertThat(system.post("/api/store/orders/" + id + "/accept", store1, null).status())
        .isEqualTo(409);
  }

  @Test
  @DisplayName("every illegal transition is a 409 problem, and another store's order is a 404")
  void illegalTransitions() {
    String id = system.placeAs(kim, chickenOrder(GOOD_CARD));
    assertThat(system.storeAction(store1, id, "start-cooking", null).status()).isEqualTo(409);
    assertThat(system.post("/api/store/orders/" + id + "/finish-cooking", store1, null).status())
        .isEqualTo(409);
    assertThat(system.post("/api/store/orders/" + id + "/accept", store2, null).status())
        .isEqualTo(404);
    assertThat(system.post("/api/orders/" + id + "/confirm", kim, null).status()).isEqualTo(409);
    assertThat(system.post("/api/store/orders/" + id + "/accept", store1, null).status())
        .isEqualTo(200);
    TestSystem.Response twice = system.post("/api/store/orders/" + id + "/accept", store1, null);
    assertThat(twice.status()).isEqualTo(409);
    assertThat(twice.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(twice.json().getString("detail")).contains("ACCEPTED");
    assertThat(
            system
                .post(
                    "/api/store/orders/" + id + "/reject",
                    store1,
                    new JsonObject().put("reason", "x"))
                .status())
        .isEqualTo(409);
    assertThat(system.post("/api/store/orders/" + id + "/teleport", store1, null).status())
        .isEqualTo(404);
    assertThat(system.post("/api/store/orders/" + id + "/accept", kim, null).status())
        .isEqualTo(403);
    assertThat(system.post("/api/rider/deliveries/" + id + "/claim", rider1, NEAR_STORE_1).status())
        .as("no delivery before cooking starts")
        .isEqualTo(404);
    assertThat(system.get("/api/rider/deliveries", rider1).status()).isEqualTo(400);
  }

  @Test
  @DisplayName("the store lists its own orders, filtered by status, and can close")
  void storeOrdersAndClosing() {
    String id = system.placeAs(kim, chickenOrder(GOOD_CARD));
    system.storeAction(store1, id, "accept", null);
    JsonArray accepted = system.get("/api/store/orders?status=ACCEPTED", store1).array();
    assertThat(accepted.stream().map(o -> ((JsonObject) o).getString("orderId"))).contains(id);
    assertThat(
            system.get("/api/store/orders", store2).array().stream()
                .map(o -> ((JsonObject) o).getString("orderId")))
        .doesNotContain(id);
    assertThat(system.get("/api/store/orders?status=NONSENSE", store1).status()).isEqualTo(400);

    assertThat(system.send("PUT", "/api/store/open", store2, "{\"open\": false}", null).status())
        .isEqualTo(200);
    JsonObject bibimbap =
        new JsonObject(chickenOrder(GOOD_CARD).encode())
            .put("storeId", "store-2")
            .put(
                "items",
                new JsonArray()
                    .add(new JsonObject().put("menuId", "bibimbap-dolsot").put("quantity", 1)));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                system.placeOrder(kim, java.util.UUID.randomUUID().toString(), bibimbap).status()
                    == 422);
    assertThat(system.send("PUT", "/api/store/open", store2, "{\"open\": true}", null).status())
        .isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                system.placeOrder(kim, java.util.UUID.randomUUID().toString(), bibimbap).status()
                    == 201);
    assertThat(
            system.send("PUT", "/api/store/open", store2, "{\"open\": \"maybe\"}", null).status())
        .isEqualTo(400);
  }

  static JsonObject find(JsonArray offers, String orderId) {
    return offers.stream()
        .map(o -> (JsonObject) o)
        .filter(o -> o.getString("orderId").equals(orderId))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("delivery " + orderId + " not offered: " + offers.encode()));
  }

  static List<String> eventTypes(String orderId, int expected, String... topics) {
    List<ConsumerRecord<String, String>> records =
        KafkaProbe.read(
            List.of(topics), r -> orderId.equals(r.key()), expected, Duration.ofSeconds(30));
    return records.stream().map(r -> new JsonObject(r.value()).getString("type")).toList();
  }
}
