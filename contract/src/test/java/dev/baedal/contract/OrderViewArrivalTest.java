package dev.baedal.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baedal.platform.events.CloudEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OrderViewArrivalTest {
  private static final String ORDER = UUID.randomUUID().toString();
  private static final Instant T0 = Instant.parse("2026-11-29T12:00:00Z");

  @Test
  @DisplayName(
      "events from different topics give the same view in every order they can be applied in")
  void sameViewInAnyOrder() {
    List<CloudEvent> events =
        List.of(
            event(
                "order.placed",
                0,
                new JsonObject()
                    .put("customerId", "kim")
                    .put("storeId", "store-1")
                    .put("storeName", "BHC 강남점")
                    .put("express", false)
                    .put("deliveryFee", 3000)
                    .put("createdAt", T0.toString())
                    .put("items", new JsonArray().add(new JsonObject().put("menuId", "m1")))
                    .put("total", 21000)),
            event("payment.authorized", 1, new JsonObject().put("amount", 21000)),
            event("store.order-accepted", 2, new JsonObject()),
            event("notification.requested", 3, notice().put("template", "order_accepted")),
            event("notification.sent", 5, notice().put("channel", "kakao")),
            // the same fact (CANCELLED) from two topics, 1 s apart: the earlier one's time stays
            event("order.cancelled", 7, new JsonObject()),
            event("store.cancel-confirmed", 6, new JsonObject()));

    Set<String> views = new HashSet<>();
    permute(new ArrayList<>(events), 0, order -> views.add(viewAfter(order)));

    assertThat(views).hasSize(1);
    JsonObject view = new JsonObject(views.iterator().next());
    assertThat(view.getString("status")).isEqualTo("CANCELLED");
    assertThat(view.getJsonArray("notifications").getJsonObject(0).getMap())
        .containsEntry("status", "sent")
        .containsEntry("at", T0.plusSeconds(5).toString());
  }

  private static JsonObject notice() {
    return new JsonObject().put("notificationId", "n-1");
  }

  private static String viewAfter(List<CloudEvent> order) {
    JsonObject state = OrderProjection.empty(ORDER);
    for (CloudEvent e : order) {
      state = OrderProjection.apply(state, e);
    }
    return OrderView.view(state).encode();
  }

  private static CloudEvent event(String type, int second, JsonObject data) {
    return new CloudEvent(
        UUID.randomUUID().toString(), "/test", type, ORDER, T0.plusSeconds(second), data);
  }

  private static void permute(
      List<CloudEvent> events, int from, java.util.function.Consumer<List<CloudEvent>> each) {
    if (from == events.size()) {
      each.accept(events);
      return;
    }
    for (int i = from; i < events.size(); i++) {
      java.util.Collections.swap(events, from, i);
      permute(events, from + 1, each);
      java.util.Collections.swap(events, from, i);
    }
  }
}
