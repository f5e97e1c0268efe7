package dev.baedal.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baedal.platform.events.CloudEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OrderViewTest {
  private static final String ORDER = "7d0f5a3e-6a43-4c49-9a57-7f4f1f3b9e10";
  private static final Instant T0 = Instant.parse("2026-11-26T09:00:00Z");

  private static CloudEvent event(String type, int second, JsonObject data) {
    return new CloudEvent(
        UUID.nameUUIDFromBytes((type + second).getBytes()).toString(),
        "/test",
        type,
        ORDER,
        T0.plusSeconds(second),
        data);
  }

  private static CloudEvent placed() {
    return event(
        "order.placed",
        0,
        new JsonObject()
            .put("customerId", "kim")
            .put("storeId", "store-1")
            .put("storeName", "Hanok Chicken")
            .put("storeNameKo", "한옥치킨")
            .put(
                "items",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("menuId", "chicken-fried")
                            .put("name", "Fried Chicken")
                            .put("nameKo", "후라이드 치킨")
                            .put("quantity", 1)
                            .put("price", 18000)))
            .put("total", 20000)
            .put("deliveryFee", 2000)
            .put("express", false)
            .put("createdAt", T0.toString()));
  }

  private static JsonObject view(List<CloudEvent> events) {
    JsonObject state = OrderProjection.empty(ORDER);
    for (CloudEvent e : events) {
      state = OrderProjection.apply(state, e);
    }
    return OrderView.view(state);
  }

  @Test
  @DisplayName("the view carries the store's and the items' Korean names")
  void koreanNames() {
    JsonObject v = view(List.of(placed()));
    assertThat(v.getString("storeNameKo")).isEqualTo("한옥치킨");
    assertThat(v.getJsonArray("items").getJsonObject(0).getString("nameKo")).isEqualTo("후라이드 치킨");
  }

  @Test
  @DisplayName("a change of items is a timeline entry with the status it left unchanged")
  void itemsChangedOnTheTimeline() {
    JsonObject v =
        view(
            List.of(
                placed(),
                event("store.order-accepted", 10, new JsonObject()),
                event(
                    "order.modified",
                    20,
                    new JsonObject()
                        .put("modificationId", "m-1")
                        .put("items", new JsonArray())
                        .put("total", 4500)),
                event("store.cooking-started", 30, new JsonObject())));

    assertThat(v.getJsonArray("timeline"))
        .containsExactly(
            new JsonObject().put("status", "PAID").put("at", T0.toString()),
            new JsonObject().put("status", "ACCEPTED").put("at", T0.plusSeconds(10).toString()),
            new JsonObject()
                .put("status", "ACCEPTED")
                .put("at", T0.plusSeconds(20).toString())
                .put("event", "ITEMS_CHANGED"),
            new JsonObject().put("status", "COOKING").put("at", T0.plusSeconds(30).toString()));
    assertThat(v.getInteger("total")).isEqualTo(4500);
  }

  @Test
  @DisplayName("a cancel the store refused is a timeline entry back at the previous status")
  void cancelRefusedOnTheTimeline() {
    JsonObject v =
        view(
            List.of(
                placed(),
                event("store.order-accepted", 10, new JsonObject()),
                event("order.cancel-requested", 20, new JsonObject()),
                event("store.cooking-started", 21, new JsonObject()),
                event("store.cancel-refused", 22, new JsonObject().put("reason", "cooking"))));

    JsonArray timeline = v.getJsonArray("timeline");
    assertThat(timeline.getJsonObject(timeline.size() - 1))
        .isEqualTo(
            new JsonObject()
                .put("status", "COOKING")
                .put("at", T0.plusSeconds(22).toString())
                .put("event", "CANCEL_REFUSED"));
    assertThat(v.getString("status")).isEqualTo("COOKING");
  }

  @Test
  @DisplayName(
      "notifications carry the text the customer got, in time order whatever order the topics came in")
  void notificationsWithText() {
    List<CloudEvent> events = new ArrayList<>(List.of(placed()));
    for (int i = 1; i <= 3; i++) {
      String id = "n-" + i;
      events.add(
          event(
              "notification.requested",
              10 * i,
              new JsonObject()
                  .put("notificationId", id)
                  .put("template", "t" + i)
                  .put("textKo", "[배달] " + i)
                  .put("textEn", "[Baedal] " + i)));
      events.add(
          event(
              "notification.sent",
              10 * i + 1,
              new JsonObject().put("notificationId", id).put("channel", "kakao")));
    }
    JsonObject inOrder = view(events);
    List<CloudEvent> shuffled = new ArrayList<>(events.subList(1, events.size()));
    Collections.reverse(shuffled);
    shuffled.add(0, events.get(0));
    JsonObject otherOrder = view(shuffled);

    JsonArray shown = inOrder.getJsonArray("notifications");
    assertThat(shown).hasSize(3);
    assertThat(shown.getJsonObject(0).getString("textKo")).isEqualTo("[배달] 1");
    assertThat(shown.getJsonObject(0).getString("textEn")).isEqualTo("[Baedal] 1");
    assertThat(shown.getJsonObject(2).getString("status")).isEqualTo("sent");
    assertThat(otherOrder.getJsonArray("notifications").encode()).isEqualTo(shown.encode());
  }
}
