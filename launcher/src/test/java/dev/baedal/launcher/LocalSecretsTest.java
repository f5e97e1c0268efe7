package dev.baedal.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baedal.devinfra.EmbeddedPg;
import dev.baedal.platform.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secrets of baedal dev: files only their owner can read, a PostgreSQL that asks for one; and
 * the card network's knobs, which only baedal dev turns on.
 */
class LocalSecretsTest {
  @Test
  @DisplayName("a secret file is created 0600 (never wider, even for a moment) and kept")
  void secretFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("data").resolve("jwt.secret");
    String secret = LocalInfra.secret(file);
    assertThat(secret).hasSizeGreaterThanOrEqualTo(60);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(LocalInfra.secret(file)).as("read again, not replaced").isEqualTo(secret);
  }

  @Test
  @DisplayName(
      "the embedded PostgreSQL refuses a connection without the password, also one whose data"
          + " directory was created before it had one")
  void postgresWithPassword(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("postgres");
    // a cluster as an earlier version made it: every local user trusted
    try (EmbeddedPg old = EmbeddedPg.start(data, 0)) {
      try (var c = DriverManager.getConnection(jdbc(old), "postgres", "")) {
        assertThat(c.isValid(5)).isTrue();
      }
    }
    Path password = dir.resolve("pg.password");
    String secret = LocalInfra.secret(password);
    try (EmbeddedPg pg = EmbeddedPg.start(data, 0, password)) {
      assertThat(pg.url("baedal")).contains(":" + secret + "@");
      assertThatThrownBy(() -> DriverManager.getConnection(jdbc(pg), "postgres", ""))
          .isInstanceOf(SQLException.class);
      assertThatThrownBy(() -> DriverManager.getConnection(jdbc(pg), "postgres", "wrong"))
          .isInstanceOf(SQLException.class);
      try (var c = DriverManager.getConnection(jdbc(pg), "postgres", secret)) {
        assertThat(c.isValid(5)).isTrue();
      }
    }
    // and a new one is created with it
    try (EmbeddedPg fresh = EmbeddedPg.start(dir.resolve("fresh"), 0, password)) {
      assertThatThrownBy(() -> DriverManager.getConnection(jdbc(fresh), "postgres", ""))
          .isInstanceOf(SQLException.class);
      try (var c = DriverManager.getConnection(jdbc(fresh), "postgres", secret)) {
        assertThat(c.isValid(5)).isTrue();
      }
    }
  }

  @Test
  @DisplayName("baedal dev's settings turn payment.simulator on")
  void simulatorOnInDev() {
    assertThat(LocalInfra.devOnly(Settings.defaults()).flag("payment.simulator")).isTrue();
  }

  private static String jdbc(EmbeddedPg pg) {
    return "jdbc:postgresql://127.0.0.1:" + pg.port() + "/postgres";
  }
}
