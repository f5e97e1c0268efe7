package dev.baedal.devinfra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/** What every {@link PgServer} must do, embedded or in a container, checked with plain JDBC. */
final class PgServerChecks {
  private PgServerChecks() {}

  /**
   * fsync is on; paused, the server answers nothing (an open connection's query and a new
   * connection both time out) and resumed it answers again; killed, nothing connects, and started
   * again it has every row it had committed; restarted cleanly, likewise.
   */
  static void crashCycle(PgServer pg) throws Exception {
    String url = pg.freshDatabase("crash_cycle");
    assertThat(ContainersTest.show(url, "fsync")).isEqualTo("on");
    assertThat(ContainersTest.show(url, "synchronous_commit")).isEqualTo("on");
    execute(url, "create table t (id int primary key)");
    execute(url, "insert into t values (1)");

    try (Connection open = connect(url)) {
      pg.pause();
      try {
        long before = System.nanoTime();
        assertThatThrownBy(() -> count(open)).isInstanceOf(SQLException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - before))
            .as("the query waited for its timeout: no answer, no refusal")
            .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        assertThatThrownBy(() -> connect(url).close()).isInstanceOf(SQLException.class);
      } finally {
        pg.resume();
      }
    }
    assertThat(count(url)).isEqualTo(1);

    pg.kill();
    assertThatThrownBy(() -> connect(url).close()).isInstanceOf(SQLException.class);
    pg.start();
    assertThat(count(url)).as("what was committed before the SIGKILL").isEqualTo(1);
    execute(url, "insert into t values (2)");

    pg.restart();
    assertThat(count(url)).isEqualTo(2);
  }

  static Connection connect(String url) throws SQLException {
    JdbcUrl jdbc = JdbcUrl.of(url);
    return DriverManager.getConnection(
        jdbc.jdbcUrl() + "?connectTimeout=2&socketTimeout=2&loginTimeout=2",
        jdbc.user(),
        jdbc.password());
  }

  static void execute(String url, String sql) throws SQLException {
    try (Connection c = connect(url);
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  static long count(String url) throws SQLException {
    try (Connection c = connect(url)) {
      return count(c);
    }
  }

  private static long count(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select count(*) from t")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
