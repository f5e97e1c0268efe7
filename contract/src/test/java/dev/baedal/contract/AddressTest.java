package dev.baedal.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AddressTest {
  private static final JsonObject WIRE =
      new JsonObject()
          .put("text", "서울 강남구 테헤란로 152")
          .put("lat", 37.5)
          .put("lng", 127.03)
          .put("phone", "010-1234-5678");

  @Test
  @DisplayName("an address reads from and writes to the wire as {text, lat, lng, phone}")
  void roundTrip() {
    Address a = Address.of(WIRE);
    assertThat(a).isEqualTo(new Address("서울 강남구 테헤란로 152", 37.5, 127.03, "010-1234-5678"));
    assertThat(a.toJson()).isEqualTo(WIRE);
  }

  @Test
  @DisplayName("a phone may be absent; whole-number coordinates read as numbers")
  void sparse() {
    Address a = Address.of(new JsonObject().put("text", "Gangnam").put("lat", 37).put("lng", 127));
    assertThat(a.phone()).isNull();
    assertThat(a.lat()).isEqualTo(37.0);
    assertThat(a.withPhone("010-0000-0000").phone()).isEqualTo("010-0000-0000");
  }

  @Test
  @DisplayName("the place alone carries no phone")
  void place() {
    assertThat(Address.of(WIRE).place().fieldNames())
        .containsExactlyInAnyOrder("text", "lat", "lng");
  }
}
