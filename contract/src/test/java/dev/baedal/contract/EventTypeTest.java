package dev.baedal.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baedal.platform.Topics;
import dev.baedal.platform.events.CloudEvent;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EventTypeTest {

  /**
   * The context that publishes each type, by a switch expression with no {@code default}: like
   * every consumer's dispatch, it does not compile once a type is added and not named here.
   */
  private static String producer(EventType type) {
    return switch (type) {
      case ORDER_PLACED,
          ORDER_MODIFICATION_REQUESTED,
          ORDER_MODIFIED,
          ORDER_CANCEL_REQUESTED,
          ORDER_CANCELLED,
          ORDER_COMPLETED ->
          "order";
      case PAYMENT_AUTHORIZED, PAYMENT_ADJUSTED, PAYMENT_REFUNDED -> "payment";
      case STORE_ORDER_ACCEPTED,
          STORE_ORDER_REJECTED,
          STORE_COOKING_STARTED,
          STORE_COOKING_FINISHED,
          STORE_CANCEL_CONFIRMED,
          STORE_CANCEL_REFUSED,
          STORE_MODIFICATION_CONFIRMED,
          STORE_MODIFICATION_REFUSED,
          STORE_THANKS_SENT,
          CATALOG_STORE_UPDATED ->
          "store";
      case DELIVERY_OPENED,
          DELIVERY_ASSIGNED,
          DELIVERY_PICKED_UP,
          DELIVERY_DELIVERED,
          DELIVERY_WITHDRAWN ->
          "rider";
      case NOTIFICATION_REQUESTED -> "notify";
      case NOTIFICATION_SENT, NOTIFICATION_FAILED -> "notifier";
    };
  }

  @Test
  void everyTypeHasOneProducerAndATopicOfTheContract() {
    for (EventType t : EventType.values()) {
      assertThat(producer(t)).isNotEmpty();
      assertThat(Topics.EVENT_TOPICS.contains(t.topic()) || t.topic().equals(Topics.CATALOG))
          .as(t.wire())
          .isTrue();
    }
  }

  @Test
  void wireNamesAreTheContractsAndUnique() {
    assertThat(EventType.KNOWN).hasSize(EventType.values().length).contains("order.placed");
    assertThat(EventType.ORDER_PLACED.wire()).isEqualTo("order.placed");
    assertThat(EventType.STORE_CANCEL_CONFIRMED.wire()).isEqualTo("store.cancel-confirmed");
    assertThat(EventType.DELIVERY_PICKED_UP.wire()).isEqualTo("delivery.picked-up");
    assertThat(EventType.CATALOG_STORE_UPDATED.topic()).isEqualTo("catalog");
    Arrays.stream(EventType.values())
        .forEach(t -> assertThat(EventType.find(t.wire())).contains(t));
  }

  @Test
  void anUndeclaredTypeIsNotFoundAndNotDispatched() {
    assertThat(EventType.find("order.teleported")).isEmpty();
    CloudEvent odd = CloudEvent.of("/x", "order.teleported", "s", new JsonObject());
    assertThatThrownBy(() -> EventType.of(odd)).isInstanceOf(IllegalArgumentException.class);
    // the projection takes it as a bare touch: nothing but updatedAt moves
    JsonObject state = OrderProjection.empty("s");
    JsonObject after = OrderProjection.apply(state, odd);
    JsonObject untouched = after.copy();
    untouched.remove("updatedAt");
    assertThat(untouched).isEqualTo(state);
    assertThat(OrderProjection.concerns(odd)).isFalse();
  }
}
