package dev.baedal.rider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baedal.platform.events.CloudEvent;
import dev.baedal.platform.events.Decision;
import dev.baedal.platform.http.ProblemException;
import dev.baedal.rider.Delivery.Status;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DeliveryTest {
  private static final Geo GEO = new Geo(5.0, 20.0, 15);

  @Test
  @DisplayName("cooking-started opens a delivery with the store, address and fee")
  void opens() {
    JsonObject cooking =
        new JsonObject()
            .put("orderId", UUID.randomUUID().toString())
            .put("storeId", "store-1")
            .put("storeName", "Hanok Chicken")
            .put("customerId", "kim")
            .put("storeLocation", new JsonObject().put("lat", 37.5).put("lng", 127.0))
            .put("deliveryAddress", new JsonObject().put("text", "Gangnam"))
            .put("express", true)
            .put("deliveryFee", 5000);
    Decision<Delivery> d = Delivery.open(cooking, Instant.now());
    assertThat(d.next().status()).isEqualTo(Status.OPEN);
    assertThat(d.next().fee()).isEqualTo(5000);
    assertThat(d.events()).extracting(CloudEvent::type).containsExactly("delivery.opened");
  }

  @ParameterizedTest
  @EnumSource(Status.class)
  @DisplayName("a claim is allowed only while open")
  void claim(Status from) {
    Delivery d = in(from, false, null);
    if (from == Status.OPEN) {
      Decision<Delivery> claimed = d.claim("rider-1", 1.0, GEO);
      assertThat(claimed.next().status()).isEqualTo(Status.ASSIGNED);
      assertThat(claimed.next().riderId()).isEqualTo("rider-1");
      assertThat(claimed.events())
          .extracting(CloudEvent::type)
          .containsExactly("delivery.assigned");
      assertThat(claimed.events().get(0).data().getInteger("etaMinutes")).isEqualTo(3);
    } else {
      assertConflict(() -> d.claim("rider-1", 1.0, GEO));
    }
  }

  @Test
  @DisplayName(
      "express needs a rider within 15 minutes of the store; normal ones a rider within the radius")
  void reach() {
    assertConflict(() -> express().claim("far", 5.1, GEO)); // 15.3 minutes at 20 km/h
    assertThat(express().claim("near", 4.9, GEO).next().status()).isEqualTo(Status.ASSIGNED);
    assertConflict(() -> in(Status.OPEN, false, null).claim("far", 5.01, GEO));
    assertThat(in(Status.OPEN, false, null).claim("near", 4.99, GEO).next().status())
        .isEqualTo(Status.ASSIGNED);
  }

  @ParameterizedTest
  @EnumSource(Status.class)
  @DisplayName("pick-up only by the assigned rider, only once assigned and cooked")
  void pickUp(Status from) {
    if (from == Status.ASSIGNED) {
      assertConflict(() -> in(from, false, "rider-1").pickUp("rider-1"));
      Decision<Delivery> d = in(from, true, "rider-1").pickUp("rider-1");
      assertThat(d.next().status()).isEqualTo(Status.PICKED_UP);
      assertThat(d.events()).extracting(CloudEvent::type).containsExactly("delivery.picked-up");
      assertNotFound(() -> in(from, true, "rider-1").pickUp("rider-2"));
    } else if (from == Status.OPEN) {
      assertNotFound(() -> in(from, true, null).pickUp("rider-1"));
    } else {
      assertConflict(() -> in(from, true, "rider-1").pickUp("rider-1"));
    }
  }

  @ParameterizedTest
  @EnumSource(Status.class)
  @DisplayName("delivery only by the assigned rider after pick-up")
  void deliver(Status from) {
    if (from == Status.PICKED_UP) {
      Decision<Delivery> d = in(from, true, "rider-1").deliver("rider-1");
      assertThat(d.next().status()).isEqualTo(Status.DELIVERED);
      assertThat(d.events()).extracting(CloudEvent::type).containsExactly("delivery.delivered");
      assertNotFound(() -> in(from, true, "rider-1").deliver("rider-2"));
    } else if (from == Status.OPEN) {
      assertNotFound(() -> in(from, true, null).deliver("rider-1"));
    } else {
      assertConflict(() -> in(from, true, "rider-1").deliver("rider-1"));
    }
  }

  @ParameterizedTest
  @EnumSource(Status.class)
  @DisplayName("a cancelled order withdraws an open or assigned delivery and leaves the rest alone")
  void withdraw(Status from) {
    Decision<Delivery> d = in(from, false, "rider-1").withdraw("cancelled");
    if (from == Status.OPEN || from == Status.ASSIGNED) {
      assertThat(d.next().status()).isEqualTo(Status.WITHDRAWN);
      assertThat(d.events()).extracting(CloudEvent::type).containsExactly("delivery.withdrawn");
    } else {
      assertThat(d.changed()).isFalse();
      assertThat(d.next().status()).isEqualTo(from);
    }
  }

  @Test
  @DisplayName("cooking-finished marks the food ready once")
  void cooked() {
    Delivery d = in(Status.ASSIGNED, false, "rider-1").onCooked().next();
    assertThat(d.cooked()).isTrue();
    assertThat(d.onCooked().next()).isEqualTo(d);
  }

  @Test
  @DisplayName("haversine distance and ETA at the configured speed")
  void geo() {
    // Gangnam station to Jongno: about 8.9 km
    assertThat(Geo.distanceKm(37.4979, 127.0276, 37.5740, 126.9850)).isBetween(9.0, 9.4);
    assertThat(Geo.distanceKm(37.5, 127.0, 37.5, 127.0)).isZero();
    assertThat(GEO.etaMinutes(5.0)).isEqualTo(15.0);
    assertThat(GEO.reaches(5.0, true)).isTrue();
    assertThat(GEO.reaches(5.01, true)).isFalse();
  }

  private static Delivery express() {
    Delivery d = in(Status.OPEN, false, null);
    return new Delivery(
        d.orderId(),
        d.storeId(),
        d.storeName(),
        d.storeLat(),
        d.storeLng(),
        d.customerId(),
        d.deliveryAddress(),
        true,
        5000,
        Status.OPEN,
        false,
        null,
        d.openedAt(),
        d.updatedAt());
  }

  private static Delivery in(Status status, boolean cooked, String rider) {
    return new Delivery(
        UUID.randomUUID(),
        "store-1",
        "Hanok Chicken",
        37.5,
        127.0,
        "kim",
        new JsonObject().put("text", "Gangnam"),
        false,
        2000,
        status,
        cooked,
        rider,
        Instant.now(),
        Instant.now());
  }

  private static void assertConflict(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOf(ProblemException.class)
        .satisfies(e -> assertThat(((ProblemException) e).status()).isEqualTo(409));
  }

  private static void assertNotFound(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOf(ProblemException.class)
        .satisfies(e -> assertThat(((ProblemException) e).status()).isEqualTo(404));
  }
}
