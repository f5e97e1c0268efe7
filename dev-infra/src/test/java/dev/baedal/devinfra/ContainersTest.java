package dev.baedal.devinfra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The containers code path. Without a Docker engine (as on the machine this was written on) it
 * checks that starting a container fails at once with Testcontainers' reason; with one it runs a
 * PostgreSQL container through pause, kill and start.
 */
class ContainersTest {
  private static final Optional<String> DOCKER = InfraChoice.testcontainers().problem();

  @Test
  @DisplayName(
      "a PostgreSQL container: fsync on, paused it does not answer, killed it comes back"
          + " on the same address with what it committed (without Docker: fails at once, clearly)")
  void postgresContainer() throws Exception {
    if (DOCKER.isPresent()) {
      long started = System.nanoTime();
      assertThatThrownBy(() -> Containers.postgres(true))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("Docker");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(35));
      return;
    }
    try (PgServer pg = Containers.pgServer(Containers.postgres(true))) {
      PgServerChecks.crashCycle(pg);
    }
  }

  @Test
  @DisplayName("a Kafka container answers on its bootstrap address (without Docker: fails at once)")
  void kafkaContainer() {
    if (DOCKER.isPresent()) {
      assertThatThrownBy(Containers::kafka)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("Docker");
      return;
    }
    try (Containers.Container kafka = Containers.kafka()) {
      kafka.kill();
      kafka.start();
      assertThat(kafka.address()).startsWith(kafka.address().split(":")[0]);
    }
  }

  static String show(String url, String setting) throws Exception {
    JdbcUrl jdbc = JdbcUrl.of(url);
    try (Connection c = DriverManager.getConnection(jdbc.jdbcUrl(), jdbc.user(), jdbc.password());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("show " + setting)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
