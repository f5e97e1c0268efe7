package dev.baedal.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ReachTest {
  private static final Reach REACH = new Reach(5.0, 20.0, 15);

  /** Degrees of latitude for {@code km} along a meridian, as the haversine formula measures it. */
  private static double km(double km) {
    return Math.toDegrees(km / 6371.0088);
  }

  private static JsonObject delivery(boolean express, double customerKmSouth) {
    return new JsonObject()
        .put("orderId", "o-1")
        .put("storeId", "store-1")
        .put("storeLocation", new JsonObject().put("lat", 37.5).put("lng", 127.0))
        .put(
            "deliveryAddress",
            new JsonObject().put("lat", 37.5 - km(customerKmSouth)).put("lng", 127.0))
        .put("deliveryArea", new JsonObject().put("text", "강남구 Gangnam-gu"))
        .put("express", express)
        .put("fee", 2000)
        .put("version", 4);
  }

  @Test
  @DisplayName("the haversine distance: Gangnam station to Jongno is about 9 km")
  void distance() {
    assertThat(Reach.distanceKm(37.4979, 127.0276, 37.5740, 126.9850)).isBetween(9.0, 9.4);
    assertThat(Reach.distanceKm(37.5, 127.0, 37.5, 127.0)).isZero();
  }

  @Test
  @DisplayName("etaMinutes is the whole trip, rider to store then store to customer, rounded up")
  void wholeTrip() {
    Reach.Trip trip = REACH.trip(delivery(false, 3.0), 37.5 + km(2.0), 127.0);
    assertThat(trip.distanceKm()).isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(trip.etaMinutes()).isEqualTo(15); // 5 km at 20 km/h
  }

  @Test
  @DisplayName(
      "express only for riders whose whole trip is at most 15 minutes, even well inside the radius")
  void express() {
    // a customer 4 km away: a rider 1.5 km from the store is inside the radius but 17 minutes out
    assertThat(REACH.offer(delivery(true, 4.0), 37.5 + km(1.5), 127.0)).isNull();
    assertThat(REACH.offer(delivery(false, 4.0), 37.5 + km(1.5), 127.0)).isNotNull();
    assertThat(REACH.offer(delivery(true, 4.0), 37.5 + km(0.9), 127.0).getInteger("etaMinutes"))
        .isEqualTo(15);
  }

  @Test
  @DisplayName("an offer carries the area, the trip and the version, never the address")
  void offer() {
    JsonObject offer = REACH.offer(delivery(false, 1.0), 37.5 + km(1.0), 127.0);
    assertThat(offer.fieldNames())
        .contains(
            "orderId",
            "storeId",
            "storeLocation",
            "deliveryArea",
            "distanceKm",
            "etaMinutes",
            "express",
            "fee",
            "version")
        .doesNotContain("deliveryAddress", "customerPhone");
    assertThat(offer.getLong("version")).isEqualTo(4);
  }
}
