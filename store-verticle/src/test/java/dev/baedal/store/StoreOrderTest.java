package dev.baedal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baedal.contract.Address;
import dev.baedal.contract.EventType;
import dev.baedal.contract.Item;
import dev.baedal.contract.events.OrderModificationRequested;
import dev.baedal.contract.events.OrderRef;
import dev.baedal.contract.events.Point;
import dev.baedal.platform.events.CloudEvent;
import dev.baedal.platform.events.Decision;
import dev.baedal.platform.http.Problems;
import dev.baedal.store.StoreOrder.Status;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StoreOrderTest {
  private static final Point LOCATION = new Point(37.5, 127.0);
  private static final Instant NOW = Instant.parse("2026-11-30T10:15:00Z");

  /** Each owner action and the one status it is allowed in. */
  private static final Map<String, Status> ALLOWED_FROM =
      Map.of(
          "accept",
          Status.NEW,
          "reject",
          Status.NEW,
          "start-cooking",
          Status.ACCEPTED,
          "finish-cooking",
          Status.COOKING);

  private static final Map<String, Function<StoreOrder, Decision<StoreOrder>>> ACTIONS =
      Map.of(
          "accept",
          o -> o.accept(NOW),
          "reject",
          o -> o.reject("sold out", NOW),
          "start-cooking",
          o -> o.startCooking(LOCATION, NOW),
          "finish-cooking",
          o -> o.finishCooking(NOW));

  private static final Map<String, Status> RESULT =
      Map.of(
          "accept",
          Status.ACCEPTED,
          "reject",
          Status.REJECTED,
          "start-cooking",
          Status.COOKING,
          "finish-cooking",
          Status.COOKED);

  private static final Map<String, String> EVENT =
      Map.of(
          "accept", "store.order-accepted",
          "reject", "store.order-rejected",
          "start-cooking", "store.cooking-started",
          "finish-cooking", "store.cooking-finished");

  @ParameterizedTest
  @EnumSource(Status.class)
  @DisplayName(
      "each owner action is allowed in exactly one status and refused with 409 in every other")
  void ownerActions(Status from) {
    for (String action : ACTIONS.keySet()) {
      StoreOrder order = in(from);
      if (ALLOWED_FROM.get(action) == from) {
        Decision<StoreOrder> d = ACTIONS.get(action).apply(order);
        assertThat(d.next().status()).isEqualTo(RESULT.get(action));
        assertThat(d.events()).extracting(CloudEvent::type).containsExactly(EVENT.get(action));
        assertThat(d.events().get(0).subject()).isEqualTo(order.orderId().toString());
        assertThat(d.events().get(0).time()).isEqualTo(NOW);
        assertThat(d.next().updatedAt()).isEqualTo(NOW);
      } else {
        assertThatThrownBy(() -> ACTIONS.get(action).apply(order))
            .isInstanceOf(StoreOrderConflict.class)
            .satisfies(e -> assertThat(Problems.asProblem(e).status()).isEqualTo(409));
      }
    }
  }

  @Test
  @DisplayName("cooking-started carries what a rider needs to open the delivery")
  void cookingStartedCarriesDeliveryData() {
    JsonObject data = in(Status.ACCEPTED).startCooking(LOCATION, NOW).events().get(0).data();
    assertThat(data.getJsonObject("storeLocation")).isEqualTo(LOCATION.toJson());
    assertThat(data.getJsonObject("deliveryAddress").getString("text")).isEqualTo("Gangnam");
    assertThat(data.getInteger("deliveryFee")).isEqualTo(2000);
    assertThat(data.getBoolean("express")).isFalse();
  }

  @ParameterizedTest
  @EnumSource(Status.class)
  @DisplayName("a cancel request is confirmed before cooking and refused with a reason after")
  void cancelVerdict(Status from) {
    Decision<StoreOrder> d = in(from).onCancelRequested(NOW);
    if (from == Status.NEW || from == Status.ACCEPTED) {
      assertThat(d.next().status()).isEqualTo(Status.CANCELLED);
      assertThat(d.events()).extracting(CloudEvent::type).containsExactly("store.cancel-confirmed");
    } else if (from == Status.CANCELLED) {
      assertThat(d.changed()).as("a redelivered request changes nothing").isFalse();
    } else {
      assertThat(d.next().status()).isEqualTo(from);
      assertThat(d.events()).extracting(CloudEvent::type).containsExactly("store.cancel-refused");
      assertThat(d.events().get(0).data().getString("reason")).contains("cooking");
    }
  }

  @ParameterizedTest
  @EnumSource(Status.class)
  @DisplayName("a change of items is applied before cooking and refused after")
  void modificationVerdict(Status from) {
    OrderModificationRequested change = change(UUID.randomUUID().toString());
    Decision<StoreOrder> d = in(from).onModificationRequested(change, NOW);
    if (EnumSet.of(Status.NEW, Status.ACCEPTED).contains(from)) {
      assertThat(d.next().total()).isEqualTo(4500);
      assertThat(d.events())
          .extracting(CloudEvent::type)
          .containsExactly("store.modification-confirmed");
    } else {
      assertThat(d.next().total()).isEqualTo(20000);
      assertThat(d.events())
          .extracting(CloudEvent::type)
          .containsExactly("store.modification-refused");
    }
  }

  @Test
  @DisplayName(
      "each store event names the order, store and customer, and carries what its consumers read")
  void payloads() {
    OrderModificationRequested change = change("m-1");
    Map<String, JsonObject> data = new TreeMap<>();
    for (Decision<StoreOrder> d :
        List.of(
            in(Status.NEW).accept(NOW),
            in(Status.NEW).reject("sold out", NOW),
            in(Status.ACCEPTED).startCooking(LOCATION, NOW),
            in(Status.COOKING).finishCooking(NOW),
            in(Status.NEW).onCancelRequested(NOW),
            in(Status.COOKING).onCancelRequested(NOW),
            in(Status.NEW).onModificationRequested(change, NOW),
            in(Status.COOKING).onModificationRequested(change, NOW),
            in(Status.DELIVERED).onCompleted(NOW))) {
      CloudEvent e = d.events().get(0);
      assertThat(e.source()).isEqualTo("/store");
      assertThat(e.time()).isEqualTo(NOW);
      assertThat(e.data().getString("orderId")).isEqualTo(e.subject());
      assertThat(e.data().getString("storeId")).isEqualTo("store-1");
      assertThat(e.data().getString("customerId")).isEqualTo("kim");
      data.put(e.type(), e.data());
    }
    assertThat(data.get("store.order-rejected").getString("reason")).isEqualTo("sold out");
    assertThat(data.get("store.order-rejected").getInteger("total")).isEqualTo(20000);
    assertThat(data.get("store.cancel-confirmed").getInteger("total")).isEqualTo(20000);
    assertThat(data.get("store.cancel-refused").getString("reason")).contains("cooking");
    JsonObject confirmed = data.get("store.modification-confirmed");
    assertThat(confirmed.getString("modificationId")).isEqualTo("m-1");
    assertThat(confirmed.getInteger("delta")).isEqualTo(-15500);
    assertThat(confirmed.getInteger("total")).isEqualTo(4500);
    assertThat(confirmed.getJsonArray("items")).isEqualTo(Item.json(change.items()));
    JsonObject refused = data.get("store.modification-refused");
    assertThat(refused.getString("modificationId")).isEqualTo("m-1");
    assertThat(refused.getInteger("delta")).isEqualTo(-15500);
    assertThat(refused.getString("reason")).contains("cooking");
    assertThat(data.get("store.thanks-sent").getString("message"))
        .contains("Thank you for ordering from Hanok Chicken");
    assertThat(data).hasSize(9);
  }

  @Test
  @DisplayName("the thank-you is sent once, however often completion is reported")
  void thanksOnce() {
    Decision<StoreOrder> first = in(Status.DELIVERED).onCompleted(NOW);
    assertThat(first.events()).extracting(CloudEvent::type).containsExactly("store.thanks-sent");
    assertThat(first.next().status()).isEqualTo(Status.COMPLETED);
    assertThat(first.next().onCompleted(NOW).changed()).isFalse();
  }

  @Test
  @DisplayName("pick-up and delivery move the store's view forward only")
  void deliveryProgress() {
    assertThat(in(Status.COOKED).onPickedUp(NOW).next().status()).isEqualTo(Status.PICKED_UP);
    assertThat(in(Status.PICKED_UP).onDelivered(NOW).next().status()).isEqualTo(Status.DELIVERED);
    assertThat(in(Status.COMPLETED).onPickedUp(NOW).next().status()).isEqualTo(Status.COMPLETED);
    assertThat(in(Status.COMPLETED).onDelivered(NOW).next().status()).isEqualTo(Status.COMPLETED);
  }

  /** The customer's change to one cola (4,500 won), 15,500 won less than the order. */
  private static OrderModificationRequested change(String modificationId) {
    return new OrderModificationRequested(
        new OrderRef(UUID.randomUUID(), "kim", "store-1", "Hanok Chicken", "한옥치킨"),
        20000,
        modificationId,
        List.of(new Item("cola", "Cola", null, 1, 4500)),
        4500,
        4500,
        -15500,
        NOW);
  }

  static StoreOrder in(Status status) {
    return new StoreOrder(
        UUID.randomUUID(),
        "store-1",
        "Hanok Chicken",
        "한옥치킨",
        "kim",
        List.of(new Item("chicken-fried", "Fried Chicken", "후라이드 치킨", 1, 18000)),
        20000,
        2000,
        false,
        new Address("Gangnam", 37.5, 127.03, null),
        status,
        null,
        false,
        Instant.now(),
        Instant.now(),
        1);
  }

  @Test
  @DisplayName("every change bumps the version; a verdict that changes nothing keeps it")
  void versions() {
    StoreOrder accepted = in(Status.NEW).accept(NOW).next();
    assertThat(accepted.version()).isEqualTo(2);
    assertThat(in(Status.COOKING).onCancelRequested(NOW).next().version()).isEqualTo(1);
    assertThat(in(Status.COMPLETED).onPickedUp(NOW).next().version()).isEqualTo(1);
  }

  @Test
  @DisplayName(
      "several changes in one transaction commit one version more than the one read: a live"
          + " subscriber tells a missed state by a gap")
  void oneVersionPerCommit() {
    StoreOrder read = in(Status.ACCEPTED);
    StoreOrder cooked =
        read.startCooking(LOCATION, NOW).next().finishCooking(NOW).next().onPickedUp(NOW).next();
    assertThat(cooked.version()).isEqualTo(4);
    StoreOrder committed = cooked.committedAfter(read);
    assertThat(committed.version()).isEqualTo(2);
    assertThat(committed.status()).isEqualTo(Status.PICKED_UP);
    assertThat(committed.toJson().put("version", 4)).isEqualTo(cooked.toJson());
    StoreOrder once = read.startCooking(LOCATION, NOW).next();
    assertThat(once.committedAfter(read)).isSameAs(once);
  }

  @ParameterizedTest
  @EnumSource(EventType.class)
  @DisplayName(
      "another context's event moves the order only if the store acts on it; any other leaves it as"
          + " it is")
  void eventsOfOtherContexts(EventType type) {
    StoreOrder order = in(Status.COOKED);
    JsonObject data =
        type == EventType.ORDER_MODIFICATION_REQUESTED ? change("m-1").toJson() : new JsonObject();
    Decision<StoreOrder> d =
        order.on(CloudEvent.of("/test", type.wire(), order.orderId().toString(), data), NOW);
    switch (type) {
      case DELIVERY_PICKED_UP -> assertThat(d.next().status()).isEqualTo(Status.PICKED_UP);
      case DELIVERY_DELIVERED -> assertThat(d.next().status()).isEqualTo(Status.DELIVERED);
      case ORDER_CANCEL_REQUESTED ->
          assertThat(d.events())
              .extracting(CloudEvent::type)
              .containsExactly("store.cancel-refused");
      case ORDER_MODIFICATION_REQUESTED ->
          assertThat(d.events())
              .extracting(CloudEvent::type)
              .containsExactly("store.modification-refused");
      case ORDER_COMPLETED ->
          assertThat(d.events()).extracting(CloudEvent::type).containsExactly("store.thanks-sent");
      default -> {
        assertThat(d.next()).isSameAs(order);
        assertThat(d.events()).isEmpty();
      }
    }
  }
}
