package dev.baedal.systemtests;

import static dev.baedal.systemtests.TestSystem.GOOD_CARD;
import static dev.baedal.systemtests.TestSystem.chickenOrder;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baedal.contract.Reach;
import dev.baedal.platform.Topics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Riders near a store see its deliveries; the first claim wins. */
class RiderTest {
  /** Hanok Chicken (store-1). One degree of latitude is about 111.2 km. */
  private static final double STORE_LAT = 37.4979;

  private static final double STORE_LNG = 127.0276;
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
  @DisplayName("ten riders claiming one delivery at once: exactly one wins, the others get 409")
  void oneClaimWins() {
    String id = cooking(false);
    List<CompletableFuture<TestSystem.Response>> claims =
        IntStream.range(0, 10)
            .mapToObj(
                i -> {
                  String token = system.token("rider", "racer-" + i);
                  return CompletableFuture.supplyAsync(
                      () -> system.post("/api/rider/deliveries/" + id + "/claim", token, at(0.5)));
                })
            .toList();
    List<Integer> statuses = claims.stream().map(c -> c.join().status()).toList();

    assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
    assertThat(statuses).filteredOn(s -> s == 409).hasSize(9);
    Ledger.assertPublishedOnce(
        dev.baedal.devinfra.TestInfra.kafka(),
        system.topic(Topics.DELIVERY_EVENTS),
        "delivery.assigned",
        List.of(id));
    String winner =
        system
            .rows("select rider_id from rider_svc.deliveries where order_id = $1::uuid", id)
            .get(0)
            .getString(0);
    assertThat(system.awaitStatus(id, kim, "RIDER_ASSIGNED").getString("riderId"))
        .isEqualTo(winner);
  }

  @Test
  @DisplayName(
      "express: invisible to and unclaimable by a rider inside the radius whose whole trip takes"
          + " over 15 minutes, open to one whose trip takes less")
  void expressOnlyForRidersNearby() {
    String id = cooking(true);
    // at 20 km/h 4.5 km to the store and ~0.8 km on to the customer take 16 minutes in all:
    // inside the 5 km radius, but not within the express promise; 3.33 km takes 13
    JsonObject twentyMinutes = at(4.5);
    JsonObject tenMinutes = at(3.33);
    String far = system.token("rider", "far-rider");
    String near = system.token("rider", "near-rider");

    assertThat(ids(system.get(query(twentyMinutes), far).array())).doesNotContain(id);
    TestSystem.Response refused =
        system.post("/api/rider/deliveries/" + id + "/claim", far, twentyMinutes);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.json().getString("detail")).contains("15 minutes");

    JsonArray offers = system.get(query(tenMinutes), near).array();
    JsonObject offer = LifecycleTest.find(offers, id);
    assertThat(offer.getBoolean("express")).isTrue();
    assertThat(offer.getInteger("etaMinutes")).isEqualTo(wholeTrip(3.33));
    assertThat(offer.getInteger("etaMinutes")).isLessThanOrEqualTo(15);
    assertThat(offer.getInteger("fee")).as("express pays the rider the extra fee").isEqualTo(5000);
    assertThat(system.post("/api/rider/deliveries/" + id + "/claim", near, tenMinutes).status())
        .isEqualTo(200);
    assertThat(ids(system.get(query(tenMinutes), near).array()))
        .as("claimed: no longer offered")
        .doesNotContain(id);
  }

  @Test
  @DisplayName(
      "a normal delivery is offered within the 5 km radius only, with the distance to the store and"
          + " the whole trip's ETA")
  void normalWithinRadius() {
    String id = cooking(false);
    String rider = system.token("rider", "radius-rider");
    JsonObject inside = LifecycleTest.find(system.get(query(at(4.5)), rider).array(), id);
    assertThat(inside.getDouble("distanceKm")).isBetween(4.4, 4.6);
    assertThat(inside.getInteger("etaMinutes")).isEqualTo(wholeTrip(4.5)).isGreaterThan(15);
    assertThat(inside.getJsonObject("deliveryArea").getString("text")).isEqualTo("강남구 Gangnam-gu");
    assertThat(inside.containsKey("deliveryAddress")).isFalse();
    assertThat(ids(system.get(query(at(5.5)), rider).array())).doesNotContain(id);
    assertThat(system.post("/api/rider/deliveries/" + id + "/claim", rider, at(5.5)).status())
        .isEqualTo(409);
    assertThat(system.get("/api/rider/deliveries?lat=north&lng=1", rider).status()).isEqualTo(400);
    assertThat(system.get("/api/rider/deliveries?lat=95&lng=1", rider).status()).isEqualTo(400);
  }

  /** An order of store-1 whose cooking has started, with its delivery open. */
  private static String cooking(boolean express) {
    String id = system.placeAs(kim, chickenOrder(GOOD_CARD).put("express", express));
    assertThat(system.storeAction(store1, id, "accept", null).status()).isEqualTo(200);
    assertThat(system.post("/api/store/orders/" + id + "/start-cooking", store1, null).status())
        .isEqualTo(200);
    system.awaitDelivery(id);
    return id;
  }

  /** Minutes from {@code km} north of the store to it, then to chickenOrder's customer. */
  private static int wholeTrip(double km) {
    JsonObject from = at(km);
    JsonObject to = chickenOrder(GOOD_CARD).getJsonObject("deliveryAddress");
    double toStore =
        Reach.distanceKm(from.getDouble("lat"), from.getDouble("lng"), STORE_LAT, STORE_LNG);
    double onward =
        Reach.distanceKm(STORE_LAT, STORE_LNG, to.getDouble("lat"), to.getDouble("lng"));
    return (int) Math.ceil((toStore + onward) / 20.0 * 60.0);
  }

  /** A position {@code km} north of the store. */
  private static JsonObject at(double km) {
    return new JsonObject().put("lat", STORE_LAT + km / 111.195).put("lng", STORE_LNG);
  }

  private static String query(JsonObject position) {
    return "/api/rider/deliveries?lat="
        + position.getDouble("lat")
        + "&lng="
        + position.getDouble("lng");
  }

  private static List<String> ids(JsonArray offers) {
    return offers.stream().map(o -> ((JsonObject) o).getString("orderId")).toList();
  }
}
