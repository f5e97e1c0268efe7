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

  @Test
  @DisplayName(
      "a whole lifecycle from three topics gives the same view however they interleave, and its"
          + " customer is shown every step in order: none after a step not known yet")
  void lifecycleInAnyInterleaving() {
    List<List<CloudEvent>> topics =
        List.of(
            List.of(event(0, Samples.placed(ID)), event(7, EventType.ORDER_COMPLETED)),
            List.of(
                event(2, EventType.STORE_COOKING_STARTED),
                event(4, EventType.STORE_COOKING_FINISHED)),
            List.of(
                event(3, EventType.DELIVERY_ASSIGNED),
                event(5, EventType.DELIVERY_PICKED_UP),
                event(6, EventType.DELIVERY_DELIVERED)));
    List<String> claimedFirst =
        List.of(
            "PAID", "COOKING", "RIDER_ASSIGNED", "COOKED", "PICKED_UP", "DELIVERED", "COMPLETED");
    List<String> cookedFirst =
        List.of("PAID", "COOKING", "COOKED", "PICKED_UP", "DELIVERED", "COMPLETED");

    Set<String> views = new HashSet<>();
    int shownOnce = 0;
    List<List<CloudEvent>> arrivals = new ArrayList<>();
    interleave(topics, new int[topics.size()], new ArrayList<>(), arrivals);
    assertThat(arrivals).hasSize(210); // 7! / (2! 2! 3!)
    for (List<CloudEvent> arrival : arrivals) {
      JsonObject state = OrderProjection.empty(ORDER);
      List<String> shown = new ArrayList<>();
      for (CloudEvent e : arrival) {
        OrderProjection.Applied applied = OrderProjection.applyInTurn(state, e);
        for (OrderProjection.Step step : applied.steps()) {
          JsonObject view = OrderView.view(step.state());
          String status = view == null ? null : view.getString("status");
          if (status != null && (shown.isEmpty() || !shown.get(shown.size() - 1).equals(status))) {
            shown.add(status);
          }
        }
        state = applied.state();
      }
      assertThat(state.containsKey(OrderProjection.HELD)).as("%s", arrival).isFalse();
      views.add(OrderView.view(state).encode());
      if (arrival.get(0).type().equals(EventType.ORDER_PLACED.wire())) {
        // (before the order is known there is no view to show; its first one has the timeline)
        // a rider claiming while the food cooks shows, unless the food was ready first (then the
        // later of the two, COOKED, is the status)
        assertThat(shown).as("%s", types(arrival)).isIn(claimedFirst, cookedFirst);
        shownOnce++;
      }
    }
    assertThat(shownOnce).isEqualTo(60); // 6! / (1! 2! 3!): the order's first event first
    assertThat(views).hasSize(1);
  }

  /** Every order in which the topics' events can arrive, each topic's in its own order. */
  private static void interleave(
      List<List<CloudEvent>> topics,
      int[] next,
      List<CloudEvent> sofar,
      List<List<CloudEvent>> out) {
    boolean any = false;
    for (int t = 0; t < topics.size(); t++) {
      if (next[t] < topics.get(t).size()) {
        any = true;
        sofar.add(topics.get(t).get(next[t]++));
        interleave(topics, next, sofar, out);
        next[t]--;
        sofar.remove(sofar.size() - 1);
      }
    }
    if (!any) {
      out.add(new ArrayList<>(sofar));
    }
  }

  private static List<String> types(List<CloudEvent> events) {
    return events.stream().map(CloudEvent::type).toList();
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
