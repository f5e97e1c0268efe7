package dev.baedal.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.ext.auth.hashing.HashingStrategy;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PasswordsTest {
  private final Passwords passwords = new Passwords();

  @Test
  @DisplayName("a new hash is argon2id at OWASP's cost, salted, and verifies only its password")
  void argon2id() {
    String hash = passwords.hash("kim-pass");
    assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    assertThat(passwords.hash("kim-pass")).as("salted").isNotEqualTo(hash);
    assertThat(passwords.verify(hash, "kim-pass")).isTrue();
    assertThat(passwords.verify(hash, "kim-pasS")).isFalse();
    assertThat(Passwords.outdated(hash)).isFalse();
  }

  @Test
  @DisplayName("a PBKDF2 hash of the first version still verifies, and is outdated")
  void legacy() {
    String old = HashingStrategy.load().hash("pbkdf2", null, "c2FsdHNhbHQ", "old-pass");
    assertThat(passwords.verify(old, "old-pass")).isTrue();
    assertThat(passwords.verify(old, "wrong")).isFalse();
    assertThat(Passwords.outdated(old)).isTrue();
    assertThat(Passwords.outdated("$argon2id$v=19$m=4096,t=1,p=1$c2FsdA$aGFzaA")).isTrue();
    assertThat(passwords.verify("garbage", "x")).isFalse();
  }

  @Test
  @DisplayName("checking an unknown user's password does the same argon2id work as a known one's")
  void unknownCostsTheSame() {
    String hash = passwords.hash("pw");
    passwords.verify(hash, "warm-up");
    passwords.verifyUnknown("warm-up");
    long known = Long.MAX_VALUE;
    long unknown = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      long t = System.nanoTime();
      passwords.verify(hash, "wrong");
      known = Math.min(known, System.nanoTime() - t);
      t = System.nanoTime();
      assertThat(passwords.verifyUnknown("wrong")).isFalse();
      unknown = Math.min(unknown, System.nanoTime() - t);
    }
    System.out.printf(
        "argon2id verify: known %d ms, unknown %d ms%n", known / 1_000_000, unknown / 1_000_000);
    assertThat(unknown).isGreaterThan(known / 3);
    assertThat(known).isGreaterThan(unknown / 3);
  }
}
