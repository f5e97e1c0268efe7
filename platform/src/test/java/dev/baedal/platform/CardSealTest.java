package dev.baedal.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CardSealTest {
  private static final String CARD = "4242424242424242";
  private final CardSeal seal = seal("k".repeat(40));

  private static CardSeal seal(String key) {
    return CardSeal.of(Settings.defaults().with("payment.card-key", key));
  }

  @Test
  @DisplayName("a sealed card opens to its number; the seal shows only the last four digits")
  void roundTrip() {
    JsonObject sealed = seal.seal(CARD);
    assertThat(sealed.encode()).doesNotContain(CARD).doesNotContain(CARD.substring(0, 12));
    assertThat(sealed.getString("last4")).isEqualTo("4242");
    assertThat(seal.open(sealed)).isEqualTo(CARD);
  }

  @Test
  @DisplayName("two seals of one number differ, their fingerprints are equal, another number's not")
  void fingerprints() {
    JsonObject a = seal.seal(CARD);
    JsonObject b = seal.seal(CARD);
    assertThat(a.getString("sealed")).isNotEqualTo(b.getString("sealed"));
    assertThat(a.getString("fingerprint")).isEqualTo(b.getString("fingerprint"));
    assertThat(seal.seal("5555555555554444").getString("fingerprint"))
        .isNotEqualTo(a.getString("fingerprint"));
    assertThat(seal("x".repeat(40)).fingerprint(CARD)).isNotEqualTo(seal.fingerprint(CARD));
  }

  @Test
  @DisplayName("a seal made under another key, altered, or not a seal at all does not open")
  void refusals() {
    JsonObject other = seal("x".repeat(40)).seal(CARD);
    assertThatThrownBy(() -> seal.open(other)).isInstanceOf(IllegalArgumentException.class);
    JsonObject altered = seal.seal(CARD);
    String s = altered.getString("sealed");
    // a character in the middle (the last one may carry only padding bits)
    int i = s.length() / 2;
    altered.put(
        "sealed", s.substring(0, i) + (s.charAt(i) == 'A' ? 'B' : 'A') + s.substring(i + 1));
    assertThatThrownBy(() -> seal.open(altered)).isInstanceOf(IllegalArgumentException.class);
    for (JsonObject junk :
        new JsonObject[] {
          null,
          new JsonObject(),
          new JsonObject().put("sealed", CARD),
          new JsonObject().put("sealed", "v1."),
          new JsonObject().put("sealed", "v1.!!!")
        }) {
      assertThatThrownBy(() -> seal.open(junk)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  @DisplayName("no key, or a short one, stops the service at start with the setting's name")
  void keyRequired() {
    assertThatThrownBy(() -> CardSeal.of(Settings.defaults()))
        .isInstanceOf(Settings.ConfigException.class)
        .hasMessageContaining("BAEDAL_PAYMENT_CARD_KEY");
    assertThatThrownBy(() -> seal("short")).isInstanceOf(Settings.ConfigException.class);
  }

  @Test
  @DisplayName("the Luhn check")
  void luhn() {
    assertThat(CardSeal.luhn(CARD)).isTrue();
    assertThat(CardSeal.luhn("4000000000000002")).isTrue();
    assertThat(CardSeal.luhn("4242424242424241")).isFalse();
  }

  @Test
  @DisplayName("the card key is a secret: never shown")
  void keyIsSecret() {
    assertThat(Settings.isSecret("payment.card-key")).isTrue();
  }
}
