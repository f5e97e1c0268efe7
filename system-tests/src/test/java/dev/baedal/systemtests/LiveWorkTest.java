package dev.baedal.systemtests;

import static dev.baedal.systemtests.TestSystem.GOOD_CARD;
import static dev.baedal.systemtests.TestSystem.chickenOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@code /ws/store} and {@code /ws/rider}: live work pushed to store owners and riders. */
class LiveWorkTest {
  /** Within the 5 km radius of store-1 (Gangnam station). */
  static final JsonObject NEAR_STORE_1 = new JsonObject().put("lat", 37.4990).put("lng", 127.0280);

  /** Jongno: about 9 km from store-1. */
  static final JsonObject FAR_FROM_STORE_1 =
      new JsonObject().put("lat", 37.5745).put("lng", 126.9855);

  private static TestSystem system;
  private static String kim;
  private static String store1;
  private static String store2;
  private static String rider1;
  private static String rider2;

  @BeforeAll
  static void start() {
    system = TestSystem.start();
    kim = system.login("kim");
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
      "a store owner's socket starts with the store's open orders, then gets each new order and"
          + " each change pushed; another store's socket gets none of them; a reconnect starts"
          + " again from the orders as they are")
  void storeSocket() {
    String before = system.placeAs(kim, chickenOrder(GOOD_CARD));
    WsClient owner = WsClient.connect(system, "/ws/store", store1);
    WsClient other = WsClient.connect(system, "/ws/store", store2);
    // the order placed just before is in the snapshot, or (still on its way to the store context
    // when the socket opened) pushed right after it
    owner.await(
        "the order placed before connecting",
        m ->
            "snapshot".equals(m.getString("type")) && ids(m.getJsonArray("orders")).contains(before)
                || isOrder(m, before, "NEW"));
    assertThat(owner.messages().get(0).getString("type")).isEqualTo("snapshot");
    JsonObject otherSnapshot = other.await("snapshot", m -> "snapshot".equals(m.getString("type")));
    assertThat(ids(otherSnapshot.getJsonArray("orders"))).doesNotContain(before);

    String id = system.placeAs(kim, chickenOrder(GOOD_CARD));
    JsonObject placed = owner.await("the new order", m -> isOrder(m, id, "NEW"));
    assertThat(placed.getJsonObject("order").getInteger("total")).isEqualTo(40500);
    assertThat(system.post("/api/store/orders/" + id + "/accept", store1, null).status())
        .isEqualTo(200);
    JsonObject accepted = owner.await("the accepted order", m -> isOrder(m, id, "ACCEPTED"));
    assertThat(accepted.getJsonObject("order").getLong("version"))
        .isGreaterThan(placed.getJsonObject("order").getLong("version"));
    assertThat(other.messages()).noneMatch(m -> m.encode().contains(id));
    owner.close();
    other.close();

    // reconnecting, the owner gets the store's open orders again, as they are now
    WsClient again = WsClient.connect(system, "/ws/store", store1);
    JsonObject snapshot = again.await("snapshot", m -> "snapshot".equals(m.getString("type")));
    assertThat(snapshot.getJsonArray("orders").stream().map(JsonObject.class::cast))
        .anySatisfy(
            o -> {
              assertThat(o.getString("orderId")).isEqualTo(id);
              assertThat(o.getString("status")).isEqualTo("ACCEPTED");
            });
    again.close();
  }

  @Test
  @DisplayName("an owner who acts on a pushed order at once is never told it does not exist")
  void actOnPush() {
    WsClient owner = WsClient.connect(system, "/ws/store", store1);
    owner.await("snapshot", m -> "snapshot".equals(m.getString("type")));
    for (int i = 0; i < 20; i++) {
      String id = system.placeAs(kim, chickenOrder(GOOD_CARD));
      owner.await("order " + i, m -> isOrder(m, id, "NEW"));
      TestSystem.Response r = system.post("/api/store/orders/" + id + "/accept", store1, null);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
    }
    owner.close();
  }

  @Test
  @DisplayName(
      "riders in reach are offered a delivery when it opens (its area, not the address); the one"
          + " who claims it gets it as theirs, the other is told it was taken")
  void riderSocket() {
    WsClient first = WsClient.connect(system, "/ws/rider", rider1);
    WsClient second = WsClient.connect(system, "/ws/rider", rider2);
    WsClient far = WsClient.connect(system, "/ws/rider", system.token("rider", "rider-far"));
    first.send(NEAR_STORE_1);
    second.send(NEAR_STORE_1);
    far.send(FAR_FROM_STORE_1);
    for (WsClient c : List.of(first, second, far)) {
      c.await("offers", m -> "offers".equals(m.getString("type")));
    }

    String id = system.placeAs(kim, chickenOrder(GOOD_CARD));
    system.storeAction(store1, id, "accept", null);
    assertThat(system.post("/api/store/orders/" + id + "/start-cooking", store1, null).status())
        .isEqualTo(200);
    JsonObject offer = first.await("the offer", m -> isOffer(m, id)).getJsonObject("offer");
    second.await("the offer", m -> isOffer(m, id));
    assertThat(offer.getJsonObject("deliveryArea").getString("text")).contains("Gangnam-gu");
    assertThat(offer.containsKey("deliveryAddress")).isFalse();
    assertThat(offer.containsKey("customerPhone")).isFalse();
    assertThat(offer.getInteger("etaMinutes")).isPositive();

    assertThat(system.post("/api/rider/deliveries/" + id + "/claim", rider1, NEAR_STORE_1).status())
        .isEqualTo(200);
    JsonObject mine = first.await("mine", m -> isMine(m, id, "ASSIGNED")).getJsonObject("delivery");
    assertThat(mine.getJsonObject("deliveryAddress").getString("text")).contains("테헤란로");
    assertThat(mine.getString("customerPhone")).isNotBlank();
    second.await(
        "taken", m -> "taken".equals(m.getString("type")) && id.equals(m.getString("orderId")));
    assertThat(system.post("/api/rider/deliveries/" + id + "/claim", rider2, NEAR_STORE_1).status())
        .isEqualTo(409);

    system.post("/api/store/orders/" + id + "/finish-cooking", store1, null);
    first.await(
        "cooked",
        m -> isMine(m, id, "ASSIGNED") && m.getJsonObject("delivery").getBoolean("cooked"));
    assertThat(system.post("/api/rider/deliveries/" + id + "/pickup", rider1, null).status())
        .isEqualTo(200);
    first.await("picked up", m -> isMine(m, id, "PICKED_UP"));
    assertThat(far.messages()).noneMatch(m -> isOffer(m, id));

    // reconnecting, the rider gets its delivery under way again
    first.close();
    WsClient again = WsClient.connect(system, "/ws/rider", rider1);
    again.await("mine again", m -> isMine(m, id, "PICKED_UP"));
    system.post("/api/rider/deliveries/" + id + "/deliver", rider1, null);
    again.await("delivered", m -> isMine(m, id, "DELIVERED"));
    for (WsClient c : List.of(second, far, again)) {
      c.close();
    }
  }

  @Test
  @DisplayName(
      "only store owners on /ws/store and only riders on /ws/rider; no token, a bad one refused")
  void accessRules() {
    assertRefused("/ws/store", kim, 403);
    assertRefused("/ws/store", rider1, 403);
    assertRefused("/ws/store", null, 401);
    assertRefused("/ws/store", "not-a-token", 401);
    assertRefused("/ws/rider", store1, 403);
    assertRefused("/ws/rider", kim, 403);
    assertRefused("/ws/rider", null, 401);
    assertThat(system.get("/ws/store", store1).status()).isEqualTo(426);
  }

  @Test
  @DisplayName("a position the rider socket cannot use is answered with what is wrong with it")
  void badPosition() {
    WsClient rider = WsClient.connect(system, "/ws/rider", rider1);
    rider.send(new JsonObject().put("lat", "north").put("lng", 200));
    JsonObject error = rider.await("an error", m -> "error".equals(m.getString("type")));
    assertThat(error.getJsonArray("errors"))
        .containsExactly(
            new JsonObject().put("pointer", "/lat").put("detail", "must be a number"),
            new JsonObject().put("pointer", "/lng").put("detail", "must be between -180 and 180"));
    assertThat(error.getString("detail")).contains("lat must be a number");
    rider.close();
  }

  @Test
  @DisplayName("a session ends with close code 4401 when its token expires")
  void tokenExpiry() {
    WsClient owner = WsClient.connect(system, "/ws/store", system.token("store", "store-1", 2));
    owner.await("snapshot", m -> "snapshot".equals(m.getString("type")));
    await().atMost(Duration.ofSeconds(15)).until(owner::isClosed);
    assertThat(owner.closeCode).isEqualTo(4401);
  }

  private static boolean isOrder(JsonObject m, String id, String status) {
    return "order".equals(m.getString("type"))
        && id.equals(m.getJsonObject("order").getString("orderId"))
        && status.equals(m.getJsonObject("order").getString("status"));
  }

  private static boolean isOffer(JsonObject m, String id) {
    return "offer".equals(m.getString("type"))
        && id.equals(m.getJsonObject("offer").getString("orderId"));
  }

  private static boolean isMine(JsonObject m, String id, String status) {
    return "mine".equals(m.getString("type"))
        && id.equals(m.getJsonObject("delivery").getString("orderId"))
        && status.equals(m.getJsonObject("delivery").getString("status"));
  }

  private static List<String> ids(JsonArray orders) {
    return orders.stream().map(o -> ((JsonObject) o).getString("orderId")).toList();
  }

  private static void assertRefused(String path, String token, int status) {
    assertThatThrownBy(() -> WsClient.connect(system, path, token))
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(UpgradeRejectedException.class)
        .satisfies(
            e ->
                assertThat(((UpgradeRejectedException) e.getCause()).getStatus())
                    .isEqualTo(status));
  }
}
