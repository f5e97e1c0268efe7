package dev.baedal.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baedal.contract.events.Payload;
import dev.baedal.contract.events.Samples;
import dev.baedal.platform.events.CloudEvent;
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
  private static final UUID ID = UUID.randomUUID();
  private static final String ORDER = ID.toString();
  private static final Instant T0 = Samples.T0;

  @Test
  @DisplayName(
      "events from different topics give the same view in every order they can be applied in")
  void sameViewInAnyOrder() {
    List<CloudEvent> events =
        List.of(
            event(0, Samples.placed(ID)),
            event(1, EventType.PAYMENT_AUTHORIZED),
            event(2, EventType.STORE_ORDER_ACCEPTED),
            event(3, EventType.NOTIFICATION_REQUESTED),
            event(5, EventType.NOTIFICATION_SENT),
            // the same fact (CANCELLED) from two topics, 1 s apart: the earlier one's time stays
            event(7, EventType.ORDER_CANCELLED),
            event(6, EventType.STORE_CANCEL_CONFIRMED));

    Set<String> views = new HashSet<>();
    permute(new ArrayList<>(events), 0, order -> views.add(viewAfter(order)));

    assertThat(views).hasSize(1);
    JsonObject view = new JsonObject(views.iterator().next());
    assertThat(view.getString("status")).isEqualTo("CANCELLED");
    assertThat(view.getJsonArray("notifications").getJsonObject(0).getMap())
        .containsEntry("status", "sent")
        .containsEntry("at", T0.plusSeconds(5).toString());
  }

  private static String viewAfter(List<CloudEvent> order) {
    JsonObject state = OrderProjection.empty(ORDER);
    for (CloudEvent e : order) {
      state = OrderProjection.apply(state, e);
    }
    return OrderView.view(state).encode();
  }

  private static CloudEvent event(int second, EventType type) {
    return event(second, Samples.of(type, ID));
  }

  private static CloudEvent event(int second, Payload data) {
    return new CloudEvent(
        UUID.randomUUID().toString(),
        "/test",
        data.type().wire(),
        ORDER,
        T0.plusSeconds(second),
        data.toJson());
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
