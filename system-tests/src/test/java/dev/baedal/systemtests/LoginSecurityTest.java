package dev.baedal.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.hashing.HashingStrategy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Login (contract sections 1 and 2): throttled per username and per client address with 429 and
 * Retry-After, argon2id hashes (older ones upgraded at the next login), unknown users cost the same
 * work as known ones, and the token carries no phone number. The gateway trusts X-Forwarded-For
 * here (as behind the Ingress), so each test is its own client address.
 */
class LoginSecurityTest {
  private static final int PER_ADDRESS = 30;
  private static TestSystem system;

  @BeforeAll
  static void start() {
    system =
        TestSystem.start(
            s ->
                s.with("http.trust-forwarded", true)
                    .with("login.max-failures-per-user", 10)
                    .with("login.max-failures-per-address", PER_ADDRESS)
                    .with("login.window-minutes", 15));
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  private TestSystem.Response login(String address, String user, String password) {
    return system.post(
        "/api/auth/login",
        null,
        new JsonObject().put("username", user).put("password", password),
        Map.of("X-Forwarded-For", address));
  }

  @Test
  @DisplayName(
      "after 10 wrong passwords for one username: 429 with Retry-After, the right password refused"
          + " too, from any address; other users log in")
  void throttledPerUsername() {
    for (int i = 0; i < 10; i++) {
      assertThat(login("10.1.0.1", "lee", "guess-" + i).status()).isEqualTo(401);
    }
    TestSystem.Response refused = login("10.1.0.1", "lee", "lee-pass");
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 15 * 60L);
    assertThat(refused.json().getString("detail")).contains("too many failed logins");
    assertThat(login("10.1.0.2", "lee", "lee-pass").status())
        .as("the right password from another address")
        .isEqualTo(429);
    assertThat(login("10.1.0.1", "kim", "kim-pass").status())
        .as("another user from the same address")
        .isEqualTo(200);
  }

  @Test
  @DisplayName(
      "after 30 failed logins from one address, whatever the usernames: 429 for any login from it,"
          + " none from elsewhere")
  void throttledPerAddress() {
    for (int i = 0; i < PER_ADDRESS; i++) {
      assertThat(login("10.2.0.1", "nobody-" + i, "x").status()).isEqualTo(401);
    }
    TestSystem.Response refused = login("10.2.0.1", "rider-1", "rider-1-pass");
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.header("Retry-After")).isNotNull();
    assertThat(login("10.2.0.2", "rider-1", "rider-1-pass").status()).isEqualTo(200);
  }

  @Test
  @DisplayName("a successful login clears the username's failures")
  void successClears() {
    for (int i = 0; i < 9; i++) {
      assertThat(login("10.3.0.1", "store-2", "nope").status()).isEqualTo(401);
    }
    assertThat(login("10.3.0.1", "store-2", "store-2-pass").status()).isEqualTo(200);
    for (int i = 0; i < 9; i++) {
      assertThat(login("10.3.0.1", "store-2", "nope").status()).isEqualTo(401);
    }
    assertThat(login("10.3.0.1", "store-2", "store-2-pass").status()).isEqualTo(200);
  }

  @Test
  @DisplayName(
      "passwords are argon2id at OWASP's cost; a PBKDF2 hash of the first version is replaced at"
          + " the next login, and the password still works after")
  void hashesUpgraded() {
    assertThat(system.rows("select password_hash from gateway_svc.accounts"))
        .allSatisfy(r -> assertThat(r.getString(0)).startsWith("$argon2id$v=19$m=19456,t=2,p=1$"));

    String legacy =
        HashingStrategy.load()
            .hash(
                "pbkdf2",
                null,
                Base64.getEncoder().withoutPadding().encodeToString(new byte[] {1, 2, 3, 4}),
                "old-pass");
    assertThat(legacy).startsWith("$pbkdf2$");
    system.rows(
        "insert into gateway_svc.accounts (username, password_hash, role, subject, display_name,"
            + " phone) values ('old-timer', $1, 'customer', 'old-timer', 'Old Timer',"
            + " '010-0000-0000') returning 1",
        legacy);
    assertThat(login("10.4.0.1", "old-timer", "wrong").status()).isEqualTo(401);
    assertThat(hashOf("old-timer")).as("a wrong password changes nothing").isEqualTo(legacy);
    assertThat(login("10.4.0.1", "old-timer", "old-pass").status()).isEqualTo(200);
    assertThat(hashOf("old-timer")).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    assertThat(login("10.4.0.1", "old-timer", "old-pass").status()).isEqualTo(200);
    assertThat(login("10.4.0.1", "old-timer", "wrong").status()).isEqualTo(401);
  }

  private String hashOf(String user) {
    return system
        .rows("select password_hash from gateway_svc.accounts where username = $1", user)
        .get(0)
        .getString(0);
  }

  @Test
  @DisplayName(
      "an unknown username is answered after the same hashing work as a known one with a wrong"
          + " password (medians within a factor of 3)")
  void unknownUserTiming() {
    List<Long> known = new ArrayList<>();
    List<Long> unknown = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      known.add(timed(() -> login("10.5.0.1", "rider-2", "wrong-" + UUID.randomUUID())));
      unknown.add(timed(() -> login("10.5.0.2", "ghost-" + UUID.randomUUID(), "wrong")));
      // keep rider-2 under its limit
      assertThat(login("10.5.0.1", "rider-2", "rider-2-pass").status()).isEqualTo(200);
    }
    long k = median(known);
    long u = median(unknown);
    System.out.printf("login medians: known user %d ms, unknown user %d ms%n", k, u);
    assertThat(u).as("unknown user (ms)").isGreaterThanOrEqualTo(k / 3);
    assertThat(k).as("known user (ms)").isGreaterThanOrEqualTo(u / 3);
  }

  private static long timed(java.util.function.Supplier<TestSystem.Response> login) {
    long t = System.nanoTime();
    assertThat(login.get().status()).isEqualTo(401);
    return Duration.ofNanos(System.nanoTime() - t).toMillis();
  }

  private static long median(List<Long> values) {
    return values.stream().sorted().toList().get(values.size() / 2);
  }

  @Test
  @DisplayName("the token carries no phone number, and login answers are never cached")
  void tokenWithoutPhone() {
    TestSystem.Response r = login("10.6.0.1", "kim", "kim-pass");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Cache-Control")).isEqualTo("no-store");
    String[] parts = r.json().getString("token").split("\\.");
    JsonObject claims =
        new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    assertThat(claims.fieldNames()).doesNotContain("phone").contains("sub", "role", "exp");
    assertThat(claims.encode()).doesNotContain("010-1234-5678");
  }
}
