package dev.baedal.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baedal.contract.EventType;
import dev.baedal.contract.events.Samples;
import dev.baedal.platform.events.CloudEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OrderNoticesTest {
  private static final String ORDER = UUID.randomUUID().toString();
  private static final Instant T0 = Instant.parse("2026-11-29T12:00:00Z");

  /** The sample event of {@code type}, with {@code changed} fields. */
  private static CloudEvent event(String type, int second, JsonObject changed) {
    JsonObject data =
        Samples.of(EventType.find(type).orElseThrow(), UUID.fromString(ORDER))
            .toJson()
            .mergeIn(changed);
    return new CloudEvent(
        UUID.randomUUID().toString(), "/test", type, ORDER, T0.plusSeconds(second), data);
  }

  private static CloudEvent placed() {
    return event("order.placed", 0, new JsonObject());
  }

  /** Applies the events and asks for what is due after each, as the service does. */
  private static List<String> noticesOf(List<CloudEvent> events) {
    OrderNotices s = OrderNotices.empty();
    List<String> asked = new ArrayList<>();
    for (CloudEvent e : events) {
      s = s.apply(e);
      List<OrderNotices.Notice> due = s.due();
      due.forEach(n -> asked.add(n.template()));
      s = s.notified(due);
      s = OrderNotices.of(s.toJson().copy()); // as stored and read back
    }
    return asked;
  }

  private static List<CloudEvent> lifecycle() {
    return List.of(
        placed(),
        event("store.order-accepted", 1, new JsonObject()),
        event("store.cooking-started", 2, new JsonObject()),
        event("delivery.assigned", 3, new JsonObject().put("etaMinutes", 12)),
        event("store.cooking-finished", 4, new JsonObject()),
        event("delivery.picked-up", 5, new JsonObject()),
        event("delivery.delivered", 6, new JsonObject()),
        event("order.completed", 7, new JsonObject()),
        event("store.thanks-sent", 8, new JsonObject()));
  }

  @Test
  @DisplayName("one notice per fact, in the order of the facts")
  void lifecycleNotices() {
    assertThat(noticesOf(lifecycle()))
        .containsExactly(
            "order_paid",
            "order_accepted",
            "cooking_started",
            "rider_assigned",
            "cooking_finished",
            "delivery_started",
            "delivered",
            "completed",
            "thanks");
  }

  @Test
  @DisplayName("whatever order the events arrive in, and twice, each notice is asked for once")
  void anyArrivalOrder() {
    Random random = new Random(7);
    for (int round = 0; round < 50; round++) {
      List<CloudEvent> events = new ArrayList<>(lifecycle());
      events.addAll(lifecycle()); // every event twice
      Collections.shuffle(events, random);
      assertThat(noticesOf(events))
          .as("round %d", round)
          .containsExactlyInAnyOrder(
              "order_paid",
              "order_accepted",
              "cooking_started",
              "rider_assigned",
              "cooking_finished",
              "delivery_started",
              "delivered",
              "completed",
              "thanks");
    }
  }

  @Test
  @DisplayName("a cancel the store refused, and each change of items, get their own notices")
  void cancelRefusedAndChanges() {
    List<String> asked =
        noticesOf(
            List.of(
                placed(),
                event(
                    "order.modified",
                    1,
                    new JsonObject()
                        .put("modificationId", "m-1")
                        .put("total", 22000)
                        .put("items", new JsonArray())),
                event("store.order-accepted", 2, new JsonObject()),
                event("store.cooking-started", 3, new JsonObject()),
                event("order.cancel-requested", 4, new JsonObject()),
                event("store.cancel-refused", 5, new JsonObject().put("reason", "cooking"))));
    assertThat(asked)
        .containsExactly(
            "order_paid",
            "order_modified",
            "order_accepted",
            "cooking_started",
            "cancel_requested",
            "cancel_refused");
  }

  @Test
  @DisplayName("nothing is asked before the order itself is known; then all that is owed")
  void waitsForTheOrder() {
    OrderNotices s = OrderNotices.empty().apply(event("store.order-accepted", 1, new JsonObject()));
    assertThat(s.due()).isEmpty();
    s = s.apply(placed());
    assertThat(s.due())
        .extracting(OrderNotices.Notice::template)
        .containsExactly("order_paid", "order_accepted");
  }

  @Test
  @DisplayName("a notice's id is the same whenever it is asked for: replays never ask twice")
  void stableIds() {
    OrderNotices s = OrderNotices.empty().apply(placed());
    OrderNotices.Notice paid = s.due().get(0);
    UUID order = UUID.fromString(ORDER);
    assertThat(Messages.id(order, paid)).isEqualTo(Messages.id(order, s.due().get(0)));
    CloudEvent requested = new Messages("http://x").requested(order, s, paid, java.util.Map.of());
    assertThat(requested.id()).isEqualTo(Messages.id(order, paid).toString());
    assertThat(requested.time()).isEqualTo(T0);
    assertThat(requested.data().getString("textKo")).contains("Hanok Chicken").contains("20,000");
  }
}
