package dev.baedal.rider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baedal.contract.Address;
import dev.baedal.contract.EventType;
import dev.baedal.contract.Reach;
import dev.baedal.contract.events.StoreCookingStarted;
import dev.baedal.platform.consistency.NotYetException;
import dev.baedal.platform.events.CloudEvent;
import dev.baedal.platform.events.Decision;
import dev.baedal.platform.http.Problems;
import dev.baedal.rider.Delivery.Status;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DeliveryTest {
  private static final Reach REACH = new Reach(5.0, 20.0, 15);
  private static final double STORE_LAT = 37.5;
  private static final double STORE_LNG = 127.0;
  private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

  /** Degrees of latitude for {@code km} along a meridian, as the haversine formula measures it. */
  private static double north(double km) {
    return Math.toDegrees(km / 6371.0088);
  }

  @Test
  @DisplayName(
      "cooking-started opens a delivery; its event shows the customer's area, not the address")
  void opens() {
    JsonObject cooking =
        new JsonObject()
            .put("orderId", UUID.randomUUID().toString())
            .put("storeId", "store-1")
            .put("storeName", "Hanok Chicken")
            .put("customerId", "kim")
            .put("storeLocation", new JsonObject().put("lat", STORE_LAT).put("lng", STORE_LNG))
            .put(
                "deliveryAddress",
                new JsonObject()
                    .put("text", "서울 강남구 테헤란로 152")
                    .put("lat", 37.5006)
                    .put("lng", 127.0364)
                    .put("phone", "010-1234-5678"))
            .put("express", true)
            .put("deliveryFee", 5000);
    Decision<Delivery> d = Delivery.open(StoreCookingStarted.of(cooking), NOW);
    assertThat(d.next().status()).isEqualTo(Status.OPEN);
    assertThat(d.next().fee()).isEqualTo(5000);
    assertThat(d.next().version()).isEqualTo(1);
    assertThat(d.events()).extracting(CloudEvent::type).containsExactly("delivery.opened");
    JsonObject opened = d.events().get(0).data();
    assertThat(opened.containsKey("deliveryAddress")).isFalse();
    assertThat(opened.getJsonObject("deliveryArea").getString("text")).isEqualTo("강남구 Gangnam-gu");
    assertThat(opened.encode()).doesNotContain("010-1234-5678").doesNotContain("테헤란로");
    JsonObject full = d.next().toJson();
    assertThat(full.getString("customerPhone")).isEqualTo("010-1234-5678");
    assertThat(full.getJsonObject("deliveryAddress").getString("text"))
        .isEqualTo("서울 강남구 테헤란로 152");
    assertThat(full.getJsonObject("deliveryAddress").containsKey("phone")).isFalse();
  }

  @ParameterizedTest
  @EnumSource(Status.class)
  @DisplayName("a claim is allowed only while open; it bumps the version")
  void claim(Status from) {
    Delivery d = in(from, false, null, false, 1.0);
    Reach.Trip trip = trip(d, 1.0);
    if (from == Status.OPEN) {
      Decision<Delivery> claimed = d.claim("rider-1", REACH, trip, NOW);
      assertThat(claimed.next().status()).isEqualTo(Status.ASSIGNED);
      assertThat(claimed.next().riderId()).isEqualTo("rider-1");
      assertThat(claimed.next().version()).isEqualTo(d.version() + 1);
      assertThat(claimed.events())
          .extracting(CloudEvent::type)
          .containsExactly("delivery.assigned");
      // 1 km to the store, 1 km on to the customer, at 20 km/h: 6 minutes
      assertThat(claimed.events().get(0).data().getInteger("etaMinutes")).isEqualTo(6);
    } else {
      assertConflict(() -> d.claim("rider-1", REACH, trip, NOW));
    }
  }

  @Test
  @DisplayName("a claim on a delivery another rider has says so")
  void claimedByAnother() {
    Delivery taken = in(Status.ASSIGNED, false, "rider-2");
    assertThatThrownBy(() -> taken.claim("rider-1", REACH, trip(taken, 1.0), NOW))
        .isInstanceOf(DeliveryConflict.class)
        .hasMessage("another rider claimed delivery " + taken.orderId() + " first");
  }

  @Test
  @DisplayName("express: the whole trip, rider to store to customer, within 15 minutes")
  void expressReach() {
    // the customer 2 km from the store: 3 km more to the store is 15 minutes in all
    Delivery express = in(Status.OPEN, false, null, true, 2.0);
    assertThat(trip(express, 2.99).etaMinutes()).isEqualTo(15);
    assertThat(express.claim("near", REACH, trip(express, 2.99), NOW).next().status())
        .isEqualTo(Status.ASSIGNED);
    assertThat(trip(express, 3.1).etaMinutes()).isEqualTo(16);
    assertConflict(() -> express.claim("far", REACH, trip(express, 3.1), NOW));
  }

  @Test
  @DisplayName("normal: riders within the radius of the store, whatever the trip takes")
  void normalReach() {
    Delivery normal = in(Status.OPEN, false, null, false, 4.0);
    assertThat(trip(normal, 4.99).etaMinutes()).isEqualTo(27);
    assertThat(normal.claim("near", REACH, trip(normal, 4.99), NOW).next().status())
        .isEqualTo(Status.ASSIGNED);
    assertConflict(() -> normal.claim("far", REACH, trip(normal, 5.01), NOW));
  }

  @Test
  @DisplayName("an offer shows the area and the trip; out of reach there is none")
  void offer() {
    Delivery d = in(Status.OPEN, true, null, false, 1.0);
    JsonObject offer = REACH.offer(d.toJson(), STORE_LAT + north(2.0), STORE_LNG);
    assertThat(offer.getDouble("distanceKm")).isEqualTo(2.0);
    assertThat(offer.getInteger("etaMinutes")).isEqualTo(9);
    assertThat(offer.getJsonObject("deliveryArea").getString("text")).isNotBlank();
    assertThat(offer.containsKey("deliveryAddress")).isFalse();
    assertThat(offer.containsKey("customerPhone")).isFalse();
    assertThat(offer.getBoolean("cooked")).isTrue();
    assertThat(REACH.offer(d.toJson(), STORE_LAT + north(5.5), STORE_LNG)).isNull();
  }

  @ParameterizedTest
  @EnumSource(Status.class)
  @DisplayName("pick-up only by the assigned rider, once assigned and cooked")
  void pickUp(Status from) {
    if (from == Status.ASSIGNED) {
      // not cooked yet as far as this context knows: it may catch up
      assertThatThrownBy(() -> in(from, false, "rider-1").pickUp("rider-1", NOW))
          .isInstanceOfSatisfying(DeliveryConflict.class, c -> assertThat(c.mayPass()).isTrue())
          .satisfies(e -> assertThat(Problems.asProblem(e)).isInstanceOf(NotYetException.class));
      Decision<Delivery> d = in(from, true, "rider-1").pickUp("rider-1", NOW);
      assertThat(d.next().status()).isEqualTo(Status.PICKED_UP);
      assertThat(d.events()).extracting(CloudEvent::type).containsExactly("delivery.picked-up");
      assertNotFound(() -> in(from, true, "rider-1").pickUp("rider-2", NOW));
    } else if (from == Status.OPEN) {
      assertNotFound(() -> in(from, true, null).pickUp("rider-1", NOW));
    } else {
      assertConflict(() -> in(from, true, "rider-1").pickUp("rider-1", NOW));
    }
  }

  @ParameterizedTest
  @EnumSource(Status.class)
  @DisplayName("delivery only by the assigned rider after pick-up")
  void deliver(Status from) {
    if (from == Status.PICKED_UP) {
      Decision<Delivery> d = in(from, true, "rider-1").deliver("rider-1", NOW);
      assertThat(d.next().status()).isEqualTo(Status.DELIVERED);
      assertThat(d.events()).extracting(CloudEvent::type).containsExactly("delivery.delivered");
      assertNotFound(() -> in(from, true, "rider-1").deliver("rider-2", NOW));
    } else if (from == Status.OPEN) {
      assertNotFound(() -> in(from, true, null).deliver("rider-1", NOW));
    } else {
      assertConflict(() -> in(from, true, "rider-1").deliver("rider-1", NOW));
    }
  }

  @ParameterizedTest
  @EnumSource(Status.class)
  @DisplayName("a cancelled order withdraws an open or assigned delivery and leaves the rest alone")
  void withdraw(Status from) {
    Decision<Delivery> d = in(from, false, "rider-1").withdraw("cancelled", NOW);
    if (from == Status.OPEN || from == Status.ASSIGNED) {
      assertThat(d.next().status()).isEqualTo(Status.WITHDRAWN);
      assertThat(d.events()).extracting(CloudEvent::type).containsExactly("delivery.withdrawn");
    } else {
      assertThat(d.changed()).isFalse();
      assertThat(d.next().status()).isEqualTo(from);
    }
  }

  @Test
  @DisplayName("cooking-finished marks the food ready once, a new version with no event of its own")
  void cooked() {
    Delivery before = in(Status.ASSIGNED, false, "rider-1");
    Delivery d = before.onCooked(NOW);
    assertThat(d.cooked()).isTrue();
    assertThat(d.version()).isEqualTo(before.version() + 1);
    assertThat(d.onCooked(NOW)).isSameAs(d);
  }

  @Test
  @DisplayName(
      "several changes in one transaction commit one version more than the one read: a live"
          + " subscriber tells a missed state by a gap")
  void oneVersionPerCommit() {
    Delivery read = in(Status.OPEN, false, null);
    Delivery gone = read.onCooked(NOW).withdraw("the order was cancelled", NOW).next();
    assertThat(gone.version()).isEqualTo(5);
    Delivery committed = gone.committedAfter(read);
    assertThat(committed.version()).isEqualTo(4);
    assertThat(committed.toJson().put("version", 5)).isEqualTo(gone.toJson());
    Delivery once = read.onCooked(NOW);
    assertThat(once.committedAfter(read)).isSameAs(once);
  }

  private static Reach.Trip trip(Delivery d, double riderKmNorthOfStore) {
    return REACH.trip(d.toJson(), STORE_LAT + north(riderKmNorthOfStore), STORE_LNG);
  }

  private static Delivery in(Status status, boolean cooked, String rider) {
    return in(status, cooked, rider, false, 1.0);
  }

  /** A delivery from the store to a customer {@code customerKm} south of it. */
  private static Delivery in(
      Status status, boolean cooked, String rider, boolean express, double customerKm) {
    return new Delivery(
        UUID.randomUUID(),
        "store-1",
        "Hanok Chicken",
        "한옥치킨",
        STORE_LAT,
        STORE_LNG,
        "kim",
        new Address("Gangnam", STORE_LAT - north(customerKm), STORE_LNG, "010-0000-0000"),
        express,
        express ? 5000 : 2000,
        status,
        cooked,
        rider,
        NOW,
        NOW,
        3);
  }

  /** Refused in the domain's words, answered at the edge as a 409. */
  private static void assertConflict(ThrowingCallable call) {
    assertRefused(call, DeliveryConflict.class, 409);
  }

  /** Refused in the domain's words, answered at the edge as a 404. */
  private static void assertNotFound(ThrowingCallable call) {
    assertRefused(call, DeliveryNotFound.class, 404);
  }

  private static void assertRefused(
      ThrowingCallable call, Class<? extends RuntimeException> refusal, int status) {
    assertThatThrownBy(call)
        .isInstanceOf(refusal)
        .satisfies(
            e -> {
              assertThat(Problems.asProblem(e).status()).isEqualTo(status);
              assertThat(Problems.asProblem(e)).isNotInstanceOf(NotYetException.class);
            });
  }

  @ParameterizedTest
  @EnumSource(EventType.class)
  @DisplayName(
      "a store event moves an open delivery only if it is cooking-finished or cancel-confirmed; any"
          + " other leaves it as it is")
  void storeEvents(EventType type) {
    Delivery open = in(Status.OPEN, false, null);
    Decision<Delivery> d =
        open.on(CloudEvent.of("/test", type.wire(), open.orderId().toString(), new JsonObject()));
    switch (type) {
      case STORE_COOKING_FINISHED -> {
        assertThat(d.next().cooked()).isTrue();
        assertThat(d.events()).isEmpty();
      }
      case STORE_CANCEL_CONFIRMED -> {
        assertThat(d.next().status()).isEqualTo(Status.WITHDRAWN);
        assertThat(d.events()).extracting(CloudEvent::type).containsExactly("delivery.withdrawn");
      }
      default -> {
        assertThat(d.next()).isSameAs(open);
        assertThat(d.events()).isEmpty();
      }
    }
  }
}
