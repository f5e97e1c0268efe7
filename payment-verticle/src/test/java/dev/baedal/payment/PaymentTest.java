package dev.baedal.payment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baedal.contract.Won;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PaymentTest {

  private static Payment charged(int amount, int refunded) {
    return new Payment(
        UUID.randomUUID(),
        UUID.randomUUID(),
        "kim",
        Won.of(amount),
        Won.of(refunded),
        Payment.Status.AUTHORIZED,
        true,
        Instant.parse("2026-11-30T12:00:00Z"));
  }

  @Test
  @DisplayName("what is still charged is the amount less every refund")
  void open() {
    assertThat(charged(22500, 0).open()).isEqualTo(Won.of(22500));
    assertThat(charged(22500, 2500).open()).isEqualTo(Won.of(20000));
    assertThat(charged(22500, 22500).open()).isEqualTo(Won.ZERO);
  }

  @Test
  @DisplayName("a refund never gives back more than is still charged")
  void refundable() {
    Payment p = charged(20000, 13000);
    assertThat(p.refundable(Won.of(5000))).isEqualTo(Won.of(5000));
    assertThat(p.refundable(Won.of(13000))).isEqualTo(Won.of(7000));
    assertThat(p.refundable(p.open())).isEqualTo(Won.of(7000));
    assertThat(charged(20000, 20000).refundable(Won.of(1)).isPositive()).isFalse();
  }
}
