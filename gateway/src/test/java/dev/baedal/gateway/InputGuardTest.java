package dev.baedal.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class InputGuardTest {
  @Test
  @DisplayName("strict percent-decoding: a lone %, bad hex or bytes that are not UTF-8 are refused")
  void decode() {
    assertThat(InputGuard.decode("a%20b+c", true)).isEqualTo("a b c");
    assertThat(InputGuard.decode("%ED%95%9C", false)).isEqualTo("한");
    assertThat(InputGuard.decode("%", false)).isNull();
    assertThat(InputGuard.decode("%zz", false)).isNull();
    assertThat(InputGuard.decode("%E0%A4", false)).isNull();
    assertThat(InputGuard.decode("%ED%A0%80", false)).as("a surrogate's bytes").isNull();
    assertThat(InputGuard.decode("%00", false)).isEqualTo("\u0000");
  }

  @Test
  @DisplayName("control characters: none in identifiers; tab and newline only in free text")
  void control() {
    assertThat(InputGuard.hasControl("store-1", false)).isFalse();
    assertThat(InputGuard.hasControl("a\u0000b", false)).isTrue();
    assertThat(InputGuard.hasControl("a\u007fb", false)).isTrue();
    assertThat(InputGuard.hasControl("a\tb", false)).isTrue();
    assertThat(InputGuard.hasControl("line\nbreak\ttab", true)).isFalse();
    assertThat(InputGuard.hasControl("a\rb", true)).isTrue();
    assertThat(InputGuard.hasLoneSurrogate("😀")).isFalse();
    assertThat(InputGuard.hasLoneSurrogate("\ud800")).isTrue();
    assertThat(InputGuard.hasLoneSurrogate("x\udc00")).isTrue();
  }
}
