package dev.baedal.contract.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baedal.contract.EventType;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PayloadsTest {
  private static final UUID ORDER = UUID.fromString("0b7e3c55-1f2a-4c7d-9e8b-123456789abc");

  @ParameterizedTest
  @EnumSource(EventType.class)
  @DisplayName("every event type has its payload, which reads back from its wire form unchanged")
  void roundTrip(EventType type) {
    Payload sample = Samples.of(type, ORDER);
    assertThat(sample.type()).isEqualTo(type);
    JsonObject wire = new JsonObject(sample.toJson().encode());
    assertThat(type.payload(wire)).isEqualTo(sample);
    assertThat(type.payload(wire).toJson()).isEqualTo(wire);
  }

  @ParameterizedTest
  @EnumSource(EventType.class)
  @DisplayName("a field a newer producer adds is passed over")
  void tolerant(EventType type) {
    Payload sample = Samples.of(type, ORDER);
    assertThat(type.payload(sample.toJson().put("addedLater", 42))).isEqualTo(sample);
  }

  @ParameterizedTest
  @EnumSource(
      value = EventType.class,
      names = {"CATALOG_STORE_UPDATED"},
      mode = EnumSource.Mode.EXCLUDE)
  @DisplayName("an event without its order (or notification) id fails, naming the field")
  void required(EventType type) {
    JsonObject wire = Samples.of(type, ORDER).toJson();
    String field = wire.containsKey("notificationId") ? "notificationId" : "orderId";
    wire.remove(field);
    assertThatThrownBy(() -> type.payload(wire))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("data." + field + " is missing");
  }

  @ParameterizedTest
  @EnumSource(
      value = EventType.class,
      names = {"ORDER_PLACED", "PAYMENT_AUTHORIZED", "STORE_ORDER_REJECTED", "DELIVERY_OPENED"})
  @DisplayName("a mistyped amount fails, naming the field; it is never read as zero")
  void mistyped(EventType type) {
    JsonObject wire = Samples.of(type, ORDER).toJson();
    String field =
        switch (type) {
          case PAYMENT_AUTHORIZED -> "amount";
          case DELIVERY_OPENED -> "fee";
          default -> "total";
        };
    wire.put(field, "lots");
    assertThatThrownBy(() -> type.payload(wire))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("data." + field + " is not a number: lots");
  }

  @org.junit.jupiter.api.Test
  @DisplayName("order.placed carries the order as the order context shows it when placed")
  void placedOnTheWire() {
    JsonObject wire = Samples.placed(ORDER).toJson();
    assertThat(wire.getString("status")).isEqualTo("PAID");
    assertThat(wire.getJsonArray("timeline").getJsonObject(0).getMap())
        .containsEntry("status", "PAID")
        .containsEntry("at", Samples.T0.toString());
    assertThat(wire.getString("updatedAt")).isEqualTo(Samples.T0.toString());
    assertThat(wire.fieldNames())
        .contains("riderId", "rejectReason", "pendingModification", "paymentId", "storeNameKo");
    assertThat(wire.getValue("riderId")).isNull();
  }
}
