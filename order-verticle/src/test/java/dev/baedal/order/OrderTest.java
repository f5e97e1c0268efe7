package dev.baedal.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baedal.contract.Address;
import dev.baedal.contract.EventType;
import dev.baedal.contract.Item;
import dev.baedal.contract.OrderStatus;
import dev.baedal.contract.Won;
import dev.baedal.contract.events.Samples;
import dev.baedal.platform.events.CloudEvent;
import dev.baedal.platform.events.Decision;
import dev.baedal.platform.http.Problems;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OrderTest {
  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
  private static final Quote.Fees FEES = new Quote.Fees(Won.of(2000), Won.of(3000));

  /** The events that lead an order to each status, in the usual order. */
  private static List<String> pathTo(OrderStatus status) {
    return switch (status) {
      case PAID -> List.of();
      case ACCEPTED -> List.of("store.order-accepted");
      case COOKING -> List.of("store.order-accepted", "store.cooking-started");
      case RIDER_ASSIGNED ->
          List.of("store.order-accepted", "store.cooking-started", "delivery.assigned");
      case COOKED ->
          List.of("store.order-accepted", "store.cooking-started", "store.cooking-finished");
      case PICKED_UP ->
          List.of(
              "store.order-accepted",
              "store.cooking-started",
              "store.cooking-finished",
              "delivery.assigned",
              "delivery.picked-up");
      case DELIVERED ->
          List.of(
              "store.order-accepted",
              "store.cooking-started",
              "store.cooking-finished",
              "delivery.assigned",
              "delivery.picked-up",
              "delivery.delivered");
      case COMPLETED -> List.of();
      case REJECTED -> List.of("store.order-rejected");
      case CANCEL_REQUESTED -> List.of();
      case CANCELLED -> List.of("store.cancel-confirmed");
    };
  }

  @Test
  @DisplayName("a placed order is PAID, priced with the delivery fee and express surcharge")
  void placed() {
    Order o = order();
    assertThat(o.status()).isEqualTo(OrderStatus.PAID);
    assertThat(o.total()).isEqualTo(Won.of(18000 * 2 + 5000));
    assertThat(o.deliveryFee()).isEqualTo(Won.of(5000));
    assertThat(OrderJson.receipt(o).getString("status")).isEqualTo("PAID");
  }

  @Test
  @DisplayName("store and rider events move the status along the happy path")
  void happyPath() {
    Order o = order();
    String[][] steps = {
      {"store.order-accepted", "ACCEPTED"},
      {"store.cooking-started", "COOKING"},
      {"store.cooking-finished", "COOKED"},
      {"delivery.assigned", "RIDER_ASSIGNED"},
      {"delivery.picked-up", "PICKED_UP"},
      {"delivery.delivered", "DELIVERED"}
    };
    int minute = 1;
    for (String[] step : steps) {
      o = o.on(event(step[0], minute++)).next();
      assertThat(o.status().name()).isEqualTo(step[1]);
    }
    Decision<Order> confirmed = o.confirm(T0.plusSeconds(3600));
    assertThat(confirmed.next().status()).isEqualTo(OrderStatus.COMPLETED);
    assertThat(confirmed.events()).extracting(CloudEvent::type).containsExactly("order.completed");
    assertThat(confirmed.next().state().riderId()).isEqualTo("rider-1");
  }

  @Test
  @DisplayName(
      "a rider may be assigned while the food cooks; the later of COOKED and RIDER_ASSIGNED shows")
  void assignedBeforeCooked() {
    Order o = apply(order(), "store.order-accepted", "store.cooking-started", "delivery.assigned");
    assertThat(o.status()).isEqualTo(OrderStatus.RIDER_ASSIGNED);
    o = o.on(event("store.cooking-finished", 9)).next();
    assertThat(o.status()).isEqualTo(OrderStatus.COOKED);
    assertThat(o.timeline().stream().map(e -> ((JsonObject) e).getString("status")).toList())
        .containsExactly("PAID", "ACCEPTED", "COOKING", "RIDER_ASSIGNED", "COOKED");
  }

  @Test
  @DisplayName("events that arrive out of order or twice never move the status backwards")
  void outOfOrderAndTwice() {
    Order o = order().on(event("delivery.picked-up", 5)).next();
    o = o.on(event("store.order-accepted", 1)).next();
    o = o.on(event("store.cooking-started", 2)).next();
    assertThat(o.status()).isEqualTo(OrderStatus.PICKED_UP);
    Order again = o.on(event("store.cooking-started", 2)).next();
    assertThat(again).isEqualTo(o);
  }

  @ParameterizedTest
  @EnumSource(OrderStatus.class)
  @DisplayName(
      "a cancel is accepted while PAID or ACCEPTED and refused with 409 in every other status")
  void cancel(OrderStatus status) {
    Order o = in(status);
    if (EnumSet.of(OrderStatus.PAID, OrderStatus.ACCEPTED).contains(status)) {
      Decision<Order> d = o.requestCancel(T0.plusSeconds(600));
      assertThat(d.next().status()).isEqualTo(OrderStatus.CANCEL_REQUESTED);
      assertThat(d.events()).extracting(CloudEvent::type).containsExactly("order.cancel-requested");
      assertThat(d.events().get(0).data().getString("previousStatus")).isEqualTo(status.name());
    } else {
      assertConflict(() -> o.requestCancel(T0.plusSeconds(600)));
    }
  }

  @Test
  @DisplayName(
      "the store's verdict ends a cancel: confirmed -> CANCELLED, refused -> back with a reason")
  void cancelVerdicts() {
    Order requested = in(OrderStatus.ACCEPTED).requestCancel(T0.plusSeconds(600)).next();
    Decision<Order> confirmed = requested.on(event("store.cancel-confirmed", 11));
    assertThat(confirmed.next().status()).isEqualTo(OrderStatus.CANCELLED);
    assertThat(confirmed.events()).extracting(CloudEvent::type).containsExactly("order.cancelled");
    assertThat(confirmed.next().on(event("store.cancel-confirmed", 11)).changed()).isFalse();

    CloudEvent refusal =
        event("store.cancel-refused", 11, new JsonObject().put("reason", "already cooking"));
    Order refused = requested.on(refusal).next();
    assertThat(refused.status()).isEqualTo(OrderStatus.ACCEPTED);
    assertThat(refused.state().cancelRefusedReason()).isEqualTo("already cooking");
    assertThat(requested.on(event("store.cooking-started", 10)).next().on(refusal).next().status())
        .isEqualTo(OrderStatus.COOKING);
  }

  @ParameterizedTest
  @EnumSource(OrderStatus.class)
  @DisplayName("confirming receipt is allowed only for a DELIVERED order")
  void confirm(OrderStatus status) {
    Order o = in(status);
    if (status == OrderStatus.DELIVERED) {
      assertThat(o.confirm(T0.plusSeconds(3600)).next().status()).isEqualTo(OrderStatus.COMPLETED);
    } else {
      assertConflict(() -> o.confirm(T0.plusSeconds(3600)));
    }
  }

  @ParameterizedTest
  @EnumSource(OrderStatus.class)
  @DisplayName(
      "changing items is allowed while PAID or ACCEPTED; the store's verdict applies or drops it")
  void modify(OrderStatus status) {
    Order o = in(status);
    Quote quote =
        Quote.of("Hanok Chicken", List.of(new Item("cola", "Cola", null, 1, 2500)), true, FEES);
    if (!EnumSet.of(OrderStatus.PAID, OrderStatus.ACCEPTED).contains(status)) {
      assertConflict(() -> o.requestModification(UUID.randomUUID(), quote, T0.plusSeconds(600)));
      return;
    }
    UUID id = UUID.randomUUID();
    Decision<Order> requested = o.requestModification(id, quote, T0.plusSeconds(600));
    assertThat(requested.events())
        .extracting(CloudEvent::type)
        .containsExactly("order.modification-requested");
    assertThat(requested.events().get(0).data().getInteger("delta")).isEqualTo(7500 - 41000);
    Order pending = requested.next();
    assertConflict(
        () -> pending.requestModification(UUID.randomUUID(), quote, T0.plusSeconds(601)));
    assertConflict(() -> pending.requestCancel(T0.plusSeconds(601)));

    JsonObject verdict = new JsonObject().put("modificationId", id.toString());
    Decision<Order> confirmed = pending.on(event("store.modification-confirmed", 11, verdict));
    assertThat(confirmed.next().total()).isEqualTo(Won.of(7500));
    assertThat(confirmed.next().pendingModification()).isNull();
    assertThat(confirmed.events()).extracting(CloudEvent::type).containsExactly("order.modified");
    assertThat(confirmed.events().get(0).data().getInteger("delta")).isEqualTo(-33500);

    Order refused =
        pending
            .on(event("store.modification-refused", 11, verdict.copy().put("reason", "cooking")))
            .next();
    assertThat(refused.total()).isEqualTo(Won.of(41000));
    assertThat(refused.state().modificationRefusedReason()).isEqualTo("cooking");
    assertThat(refused.pendingModification()).isNull();
  }

  @Test
  @DisplayName("a rejection ends the order REJECTED with the store's reason")
  void rejected() {
    Order o =
        order()
            .on(event("store.order-rejected", 1, new JsonObject().put("reason", "closing early")))
            .next();
    assertThat(o.status()).isEqualTo(OrderStatus.REJECTED);
    assertThat(o.state().rejectReason()).isEqualTo("closing early");
    assertConflict(() -> o.requestCancel(T0.plusSeconds(120)));
  }

  /** An order brought to {@code status}. */
  private static Order in(OrderStatus status) {
    return switch (status) {
      case COMPLETED -> in(OrderStatus.DELIVERED).confirm(T0.plusSeconds(3000)).next();
      case CANCEL_REQUESTED -> order().requestCancel(T0.plusSeconds(30)).next();
      case CANCELLED ->
          in(OrderStatus.CANCEL_REQUESTED).on(event("store.cancel-confirmed", 1)).next();
      default -> apply(order(), pathTo(status).toArray(String[]::new));
    };
  }

  private static Order apply(Order o, String... types) {
    int minute = 1;
    for (String type : types) {
      o = o.on(event(type, minute++)).next();
    }
    return o;
  }

  private static Order order() {
    Quote quote =
        Quote.of(
            "Hanok Chicken",
            List.of(new Item("chicken-fried", "Fried Chicken", null, 2, 18000)),
            true,
            FEES);
    return Order.placed(
        UUID.fromString("00000000-0000-0000-0000-000000000001"),
        "kim",
        "store-1",
        quote,
        true,
        new Address("Gangnam", 37.5, 127.03, null),
        UUID.randomUUID(),
        T0);
  }

  private static CloudEvent event(String type, int minute) {
    return event(type, minute, new JsonObject());
  }

  /** The sample event of {@code type} (rider {@code rider-1}), with {@code changed} fields. */
  private static CloudEvent event(String type, int minute, JsonObject changed) {
    UUID subject = UUID.fromString("00000000-0000-0000-0000-000000000001");
    return new CloudEvent(
        UUID.randomUUID().toString(),
        "/test",
        type,
        subject.toString(),
        T0.plusSeconds(60L * minute),
        Samples.of(EventType.find(type).orElseThrow(), subject).toJson().mergeIn(changed));
  }

  private static void assertConflict(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOf(OrderConflict.class)
        .satisfies(e -> assertThat(Problems.asProblem(e).status()).isEqualTo(409));
  }
}
