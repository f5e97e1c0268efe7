package dev.baedal.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baedal.contract.events.NotificationReceipt;
import dev.baedal.contract.events.NotificationRequested;
import dev.baedal.contract.events.OrderModified;
import dev.baedal.contract.events.Payload;
import dev.baedal.contract.events.Samples;
import dev.baedal.contract.events.StoreCancelRefused;
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
  private static final UUID ID = UUID.fromString(ORDER);
  private static final Instant T0 = Samples.T0;

  private static CloudEvent event(int second, Payload data) {
    return new CloudEvent(
        UUID.nameUUIDFromBytes((data.type().wire() + second).getBytes()).toString(),
        "/test",
        data.type().wire(),
        ORDER,
        T0.plusSeconds(second),
        data.toJson());
  }

  private static CloudEvent placed() {
    return event(0, Samples.placed(ID));
  }

  /** The sample of {@code type}, as of {@code second}. */
  private static CloudEvent event(EventType type, int second) {
    return event(second, Samples.of(type, ID));
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
  @DisplayName("an order shows its charge from order.placed, before or after payment.authorized")
  void chargedFromThePlacedOrder() {
    JsonObject paid =
        new JsonObject().put("status", "AUTHORIZED").put("amount", 20000).put("refunded", 0);
    CloudEvent authorized = event(EventType.PAYMENT_AUTHORIZED, 1);

    assertThat(view(List.of(placed())).getJsonObject("payment")).isEqualTo(paid);
    assertThat(view(List.of(placed(), authorized)).getJsonObject("payment")).isEqualTo(paid);
    assertThat(view(List.of(authorized, placed())).getJsonObject("payment")).isEqualTo(paid);
  }

  @Test
  @DisplayName("a change of items is a timeline entry with the status it left unchanged")
  void itemsChangedOnTheTimeline() {
    JsonObject v =
        view(
            List.of(
                placed(),
                event(EventType.STORE_ORDER_ACCEPTED, 10),
                event(
                    20,
                    new OrderModified(
                        Samples.ref(ID), "m-1", List.of(Samples.COLA), 2500, 4500, 20000, -15500)),
                event(EventType.STORE_COOKING_STARTED, 30)));

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
                event(EventType.STORE_ORDER_ACCEPTED, 10),
                event(EventType.ORDER_CANCEL_REQUESTED, 20),
                event(EventType.STORE_COOKING_STARTED, 21),
                event(22, new StoreCancelRefused(Samples.ref(ID), "cooking"))));

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
      UUID id = UUID.nameUUIDFromBytes(("n-" + i).getBytes());
      events.add(
          event(
              10 * i,
              new NotificationRequested(
                  id, ID, "kim", null, "t" + i, "", "[배달] " + i, "[Baedal] " + i, List.of())));
      events.add(
          event(
              10 * i + 1,
              new NotificationReceipt(
                  id,
                  ORDER,
                  "kim",
                  "t" + i,
                  "kakao",
                  "sent",
                  T0.plusSeconds(10 * i + 1),
                  1,
                  null)));
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
