package dev.baedal.systemtests;

import static dev.baedal.systemtests.TestSystem.GOOD_CARD;
import static dev.baedal.systemtests.TestSystem.chickenOrder;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baedal.devinfra.TestInfra;
import dev.baedal.launcher.Service;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What customers, store owners and riders are shown through the API: the catalogue while the store
 * context is down, Korean and English names everywhere, and the changes that leave the status as it
 * was (a change of items, a refused cancel) on the timeline and as notices with their text.
 */
class WhatCustomersSeeTest {
  private static TestSystem system;
  private static String kim;
  private static String store1;
  private static String rider1;

  @BeforeAll
  static void start() {
    system = TestSystem.start();
    kim = system.login("kim");
    store1 = system.login("store-1");
    rider1 = system.login("rider-1");
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  @Test
  @DisplayName(
      "with the store context stopped, customers list the stores and a menu (Korean names, open) and order")
  void browsingWhileTheStoreIsDown() {
    TestInfra.join(system.node.undeploy(Service.STORE));
    try {
      TestSystem.Response stores = system.get("/api/stores", kim);
      assertThat(stores.status()).as(stores.body()).isEqualTo(200);
      JsonObject hanok = byId(stores.array(), "storeId", "store-1");
      assertThat(hanok.getString("name")).isEqualTo("Hanok Chicken");
      assertThat(hanok.getString("nameKo")).isEqualTo("한옥치킨");
      assertThat(hanok.getBoolean("open")).isTrue();
      assertThat(hanok.getJsonObject("location").getDouble("lat")).isEqualTo(37.4979);
      assertThat(byId(stores.array(), "storeId", "store-2").getString("nameKo")).isEqualTo("서울비빔밥");

      TestSystem.Response menu = system.get("/api/stores/store-1/menu", kim);
      assertThat(menu.status()).as(menu.body()).isEqualTo(200);
      assertThat(menu.array().stream().map(m -> ((JsonObject) m).getString("menuId")))
          .as("in the store's order")
          .containsExactly(
              "chicken-fried", "chicken-yangnyeom", "chicken-soy-garlic", "radish", "cola");
      JsonObject fried = byId(menu.array(), "menuId", "chicken-fried");
      assertThat(fried.getString("nameKo")).isEqualTo("후라이드 치킨");
      assertThat(fried.getString("name")).isEqualTo("Fried Chicken");
      assertThat(fried.getInteger("price")).isEqualTo(18000);

      TestSystem.Response unknown = system.get("/api/stores/store-404/menu", kim);
      assertThat(unknown.status()).isEqualTo(404);

      TestSystem.Response placed =
          system.placeOrder(kim, UUID.randomUUID().toString(), chickenOrder(GOOD_CARD));
      assertThat(placed.status()).as(placed.body()).isEqualTo(201);
    } finally {
      TestInfra.join(system.node.deploy(Service.STORE, system.settings, line -> {}));
    }
  }

  @Test
  @DisplayName(
      "an address is chosen from Seoul's districts; the fees and the express promise are served")
  void districtsAndOptions() {
    JsonArray districts = system.get("/api/districts", kim).array();
    assertThat(districts).hasSize(25);
    JsonObject gangnam = byId(districts, "nameEn", "Gangnam-gu");
    assertThat(gangnam.getString("nameKo")).isEqualTo("강남구");
    assertThat(gangnam.getDouble("lat")).isBetween(37.4, 37.6);

    JsonObject options = system.get("/api/delivery-options", kim).json();
    assertThat(options)
        .isEqualTo(
            new JsonObject()
                .put("deliveryFee", 2000)
                .put("expressFee", 3000)
                .put("expressEtaMinutes", 15)
                .put("riderSpeedKmh", 20.0)
                .put("riderRadiusKm", 5.0));
  }

  @Test
  @DisplayName(
      "the order view, the store's orders, the rider's offers and deliveries carry Korean names")
  void koreanNamesEverywhere() {
    String id = system.placeAs(kim, chickenOrder(GOOD_CARD));
    JsonObject view = system.awaitStatus(id, kim, "PAID");
    assertThat(view.getString("storeName")).isEqualTo("Hanok Chicken");
    assertThat(view.getString("storeNameKo")).isEqualTo("한옥치킨");
    assertThat(byId(view.getJsonArray("items"), "menuId", "chicken-fried").getString("nameKo"))
        .isEqualTo("후라이드 치킨");

    system.storeAction(store1, id, "accept", null);
    JsonObject storeOrder = byId(system.get("/api/store/orders", store1).array(), "orderId", id);
    assertThat(storeOrder.getString("storeNameKo")).isEqualTo("한옥치킨");
    assertThat(byId(storeOrder.getJsonArray("items"), "menuId", "cola").getString("nameKo"))
        .isEqualTo("콜라 1.25L");

    system.post("/api/store/orders/" + id + "/start-cooking", store1, null);
    system.awaitDelivery(id);
    JsonObject offer =
        byId(
            system.get("/api/rider/deliveries?lat=37.499&lng=127.028", rider1).array(),
            "orderId",
            id);
    assertThat(offer.getString("storeNameKo")).isEqualTo("한옥치킨");
    system.untilOk(
        () ->
            system.post(
                "/api/rider/deliveries/" + id + "/claim", rider1, LifecycleTest.NEAR_STORE_1));
    JsonObject mine = byId(system.get("/api/rider/deliveries/mine", rider1).array(), "orderId", id);
    assertThat(mine.getString("storeNameKo")).isEqualTo("한옥치킨");
    assertThat(mine.getString("storeName")).isEqualTo("Hanok Chicken");
  }

  @Test
  @DisplayName("a change of items is a timeline entry and a notice whose text the view shows")
  void itemsChanged() {
    String id = system.placeAs(kim, chickenOrder(GOOD_CARD));
    system.storeAction(store1, id, "accept", null);
    system.awaitStatus(id, kim, "ACCEPTED");

    TestSystem.Response change =
        system.send(
            "PATCH",
            "/api/orders/" + id,
            kim,
            new JsonObject()
                .put(
                    "items",
                    new JsonArray().add(new JsonObject().put("menuId", "cola").put("quantity", 1)))
                .encode(),
            null);
    assertThat(change.status()).as(change.body()).isEqualTo(202);

    JsonObject view =
        system.awaitView(
            id,
            kim,
            v -> {
              assertThat(timeline(v)).anyMatch(e -> "ITEMS_CHANGED".equals(e.getString("event")));
              assertThat(notice(v, "order_modified")).isNotNull();
            });
    JsonObject entry =
        timeline(view).filter(e -> "ITEMS_CHANGED".equals(e.getString("event"))).findFirst().get();
    assertThat(entry.getString("status")).isEqualTo("ACCEPTED");
    assertThat(entry.getString("at")).isNotBlank();
    assertThat(view.getString("status")).isEqualTo("ACCEPTED");
    assertThat(view.getInteger("total")).isEqualTo(4500);
    JsonObject notice = notice(view, "order_modified");
    assertThat(notice.getString("textKo")).startsWith("[배달]").contains("콜라");
    assertThat(notice.getString("textEn")).startsWith("[Baedal]").contains("Cola");
    assertThat(notice(view, "order_paid").getString("textKo")).contains("한옥치킨");
  }

  @Test
  @DisplayName(
      "a cancel that loses to start-cooking ends with a cancel_refused notice and a timeline entry")
  void cancelRefused() {
    // the store is the authority: a cancel the order context takes (202) while the store has
    // already started cooking is refused by the store; race the two until that happens once
    String refused = null;
    for (int round = 0; round < 15 && refused == null; round++) {
      String id = system.placeAs(kim, chickenOrder(GOOD_CARD));
      system.storeAction(store1, id, "accept", null);
      system.awaitStatus(id, kim, "ACCEPTED");
      TestSystem.Response cook =
          system.post("/api/store/orders/" + id + "/start-cooking", store1, null);
      TestSystem.Response cancel = system.post("/api/orders/" + id + "/cancel", kim, null);
      assertThat(cook.status()).isEqualTo(200);
      if (cancel.status() == 202) {
        refused = id;
      }
    }
    assertThat(refused)
        .as("a cancel the order context took before it heard of cooking")
        .isNotNull();
    String id = refused;

    JsonObject view =
        system.awaitView(
            id,
            kim,
            v -> {
              assertThat(v.getString("cancelRefusedReason")).isNotNull();
              assertThat(notice(v, "cancel_refused")).isNotNull();
            });
    assertThat(view.getString("status")).isEqualTo("COOKING");
    JsonObject notice = notice(view, "cancel_refused");
    assertThat(notice.getString("textKo")).startsWith("[배달]");
    assertThat(notice.getString("textEn")).startsWith("[Baedal]");
    assertThat(timeline(view).filter(e -> "CANCEL_REFUSED".equals(e.getString("event"))))
        .singleElement()
        .satisfies(e -> assertThat(e.getString("status")).isEqualTo("COOKING"));
  }

  private static Stream<JsonObject> timeline(JsonObject view) {
    return view.getJsonArray("timeline").stream().map(e -> (JsonObject) e);
  }

  private static JsonObject notice(JsonObject view, String type) {
    return view.getJsonArray("notifications").stream()
        .map(n -> (JsonObject) n)
        .filter(n -> type.equals(n.getString("type")))
        .findFirst()
        .orElse(null);
  }

  private static JsonObject byId(JsonArray array, String key, String id) {
    List<JsonObject> found =
        array.stream().map(o -> (JsonObject) o).filter(o -> id.equals(o.getString(key))).toList();
    assertThat(found).as(key + " " + id + " in " + array.encode()).hasSize(1);
    return found.get(0);
  }
}
