package dev.baedal.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class WonTest {

  @Test
  @DisplayName("sums, differences and multiples are exact; a difference may be negative")
  void arithmetic() {
    Won chicken = Won.of(18000);
    assertThat(chicken.times(2).plus(Won.of(3000))).isEqualTo(Won.of(39000));
    assertThat(Won.of(7500).minus(Won.of(41000))).isEqualTo(Won.of(-33500));
    assertThat(Won.of(7500).minus(Won.of(41000)).isPositive()).isFalse();
    assertThat(Won.of(1).isPositive()).isTrue();
    assertThat(Won.ZERO.isPositive()).isFalse();
  }

  @Test
  @DisplayName("an amount that does not fit fails instead of wrapping around")
  void overflow() {
    Won big = Won.of(Integer.MAX_VALUE);
    assertThatThrownBy(() -> big.plus(Won.of(1))).isInstanceOf(ArithmeticException.class);
    assertThatThrownBy(() -> Won.of(Integer.MIN_VALUE).minus(Won.of(1)))
        .isInstanceOf(ArithmeticException.class);
    assertThatThrownBy(() -> Won.of(1_500_000_000).times(2))
        .isInstanceOf(ArithmeticException.class);
  }

  @Test
  @DisplayName("atMost caps an amount; amounts compare by value")
  void capAndOrder() {
    assertThat(Won.of(5000).atMost(Won.of(3000))).isEqualTo(Won.of(3000));
    assertThat(Won.of(2000).atMost(Won.of(3000))).isEqualTo(Won.of(2000));
    assertThat(Won.of(2000)).isLessThan(Won.of(3000));
    assertThat(Won.of(2500)).hasToString("2500 won");
  }
}
