package dev.baedal.devinfra;

import static dev.baedal.devinfra.TestInfra.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.net.ConnectException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The proxy between clients and a real PostgreSQL, through JDBC and the Vert.x pg client. */
class TcpProxyTest {
  private static EmbeddedPgServer pg;
  private static String direct;
  private static TcpProxy proxy;
  private static String proxied;

  @BeforeAll
  static void start() throws SQLException {
    pg = EmbeddedPgServer.start(true);
    direct = pg.freshDatabase("proxied");
    PgServerChecks.execute(direct, "create table t (id int primary key)");
    proxy = TcpProxy.start("127.0.0.1", pg.port());
    proxied = direct.replace(":" + pg.port() + "/", ":" + proxy.port() + "/");
  }

  @AfterAll
  static void stop() {
    proxy.close();
    pg.close();
  }

  @Test
  @DisplayName("cut closes the open connections at once; new ones go through")
  void cut() throws SQLException {
    try (Connection c = PgServerChecks.connect(proxied)) {
      assertThat(select1(c)).isTrue();
      proxy.cut();
      assertThatThrownBy(() -> select1(c)).isInstanceOf(SQLException.class);
    }
    try (Connection c = PgServerChecks.connect(proxied)) {
      assertThat(select1(c)).isTrue();
    }
  }

  @Test
  @DisplayName(
      "partitioned, an open connection and a new one hang without an answer; healed, new ones work")
  void partition() throws SQLException {
    try (Connection c = PgServerChecks.connect(proxied)) {
      proxy.partition();
      try {
        long before = System.nanoTime();
        assertThatThrownBy(() -> select1(c)).isInstanceOf(SQLException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - before))
            .as("no answer and no refusal: the client waited for its timeout")
            .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        assertThatThrownBy(() -> PgServerChecks.connect(proxied).close())
            .isInstanceOf(SQLException.class);
      } finally {
        proxy.heal();
      }
    }
    try (Connection c = PgServerChecks.connect(proxied)) {
      assertThat(select1(c)).isTrue();
    }
  }

  @Test
  @DisplayName("refusing, new connections are refused at once; healed, they work again")
  void refuse() throws SQLException {
    proxy.refuse();
    try {
      long before = System.nanoTime();
      assertThatThrownBy(() -> new java.net.Socket("127.0.0.1", proxy.port()).close())
          .isInstanceOf(ConnectException.class)
          .hasMessageContaining("refused");
      assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(1));
    } finally {
      proxy.heal();
    }
    try (Connection c = PgServerChecks.connect(proxied)) {
      assertThat(select1(c)).isTrue();
    }
  }

  @Test
  @DisplayName(
      "the Vert.x pg client commits with a simple query; its answer lost, the client sees a"
          + " closed connection and the row IS committed")
  void lostCommitVertx() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool =
          PgBuilder.pool()
              .connectingTo(PgConnectOptions.fromUri(proxied))
              .with(new PoolOptions().setMaxSize(1))
              .using(vertx)
              .build();
      // unarmed, a transaction passes through unharmed
      join(pool.withTransaction(c -> c.query("insert into t values (10)").execute()));
      CompletableFuture<TcpProxy.LostCommit> lost = proxy.loseNextCommitAck();
      assertThatThrownBy(
              () -> join(pool.withTransaction(c -> c.query("insert into t values (11)").execute())))
          .hasRootCauseInstanceOf(io.vertx.sqlclient.ClosedConnectionException.class);
      TcpProxy.LostCommit what = lost.get(10, TimeUnit.SECONDS);
      assertThat(what.protocol()).isEqualTo("simple");
      assertThat(what.serverAnswer()).isEqualTo("COMMIT");
      assertThat(count(direct, "id in (10, 11)")).isEqualTo(2);
      // the pool recovers on a new connection
      join(pool.withTransaction(c -> c.query("insert into t values (12)").execute()));
      assertThat(count(direct, "id = 12")).isEqualTo(1);
    } finally {
      join(vertx.close());
    }
  }

  @Test
  @DisplayName(
      "JDBC commits with Parse/Bind/Execute; its answer lost, commit() fails and the row IS"
          + " committed")
  void lostCommitJdbc() throws Exception {
    CompletableFuture<TcpProxy.LostCommit> lost = proxy.loseNextCommitAck();
    try (Connection c = PgServerChecks.connect(proxied)) {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        st.execute("insert into t values (20)");
      }
      assertThatThrownBy(c::commit).isInstanceOf(SQLException.class);
    }
    TcpProxy.LostCommit what = lost.get(10, TimeUnit.SECONDS);
    assertThat(what.protocol()).isEqualTo("extended");
    assertThat(what.serverAnswer()).isEqualTo("COMMIT");
    assertThat(count(direct, "id = 20")).isEqualTo(1);
  }

  @Test
  @DisplayName("a COMMIT is recognised in its spellings, and nothing else is")
  void commitSpellings() {
    for (String s : new String[] {"COMMIT", "commit", " Commit ; ", "END", "commit work"}) {
      assertThat(PgWire.CommitSniffer.isCommit(s)).as(s).isTrue();
    }
    for (String s : new String[] {"ROLLBACK", "select 'commit'", "commit prepared 'x'", "BEGIN"}) {
      assertThat(PgWire.CommitSniffer.isCommit(s)).as(s).isFalse();
    }
  }

  private static boolean select1(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      return st.executeQuery("select 1").next();
    }
  }

  private static long count(String url, String where) throws SQLException {
    try (Connection c = PgServerChecks.connect(url);
        Statement st = c.createStatement()) {
      var rs = st.executeQuery("select count(*) from t where " + where);
      rs.next();
      return rs.getLong(1);
    }
  }
}
