package dev.baedal.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DistrictsTest {
  @Test
  @DisplayName("an address shows as its district and a location rounded to about 500 m")
  void area() {
    JsonObject area = Districts.area(37.50061, 127.03642); // Teheran-ro 152, Gangnam
    assertThat(area.getString("text")).isEqualTo("강남구 Gangnam-gu");
    assertThat(area.getDouble("lat")).isEqualTo(37.5);
    assertThat(area.getDouble("lng")).isEqualTo(127.035);
    assertThat(Reach.distanceKm(37.50061, 127.03642, area.getDouble("lat"), area.getDouble("lng")))
        .isLessThan(0.5);
  }

  @Test
  @DisplayName("every district of Seoul, in Korean and English")
  void all() {
    assertThat(Districts.SEOUL).hasSize(25);
    assertThat(Districts.nearest(37.5948, 126.9774).nameEn()).isEqualTo("Jongno-gu");
    assertThat(Districts.nearest(37.5145, 127.1066).nameEn()).isEqualTo("Songpa-gu");
    assertThat(Districts.toJson().getJsonObject(0).fieldNames())
        .containsExactlyInAnyOrder("nameKo", "nameEn", "lat", "lng");
  }
}
