package dev.baedal.order;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baedal.contract.Item;
import dev.baedal.contract.Won;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ModificationTest {

  @Test
  @DisplayName("a pending change of items is kept as JSON and read back the same")
  void roundTrip() {
    Modification m =
        new Modification(
            "m-1",
            List.of(new Item("cola", "Cola", "콜라", 2, 2500)),
            Won.of(5000),
            Won.of(8000),
            Won.of(-12000),
            Instant.parse("2026-11-30T10:00:00Z"));
    assertThat(Modification.of(m.toJson())).isEqualTo(m);
    assertThat(m.toJson().fieldNames())
        .containsExactlyInAnyOrder(
            "modificationId", "items", "subtotal", "total", "delta", "requestedAt");
  }
}
