package dev.baedal.platform.db;

import dev.baedal.platform.Settings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The PostgreSQL side of a context: the process-wide pool and the context's migrations. */
public final class Database {
  private static final Logger log = LoggerFactory.getLogger(Database.class);
  private static final String POOL_NAME = "baedal-pg";

  private Database() {}

  /** Connection options parsed from {@code pg.url}. */
  public static PgConnectOptions connectOptions(Settings settings) {
    String url = settings.string("pg.url");
    if (url.isEmpty()) {
      throw new Settings.ConfigException("pg.url (BAEDAL_PG_URL) is not set");
    }
    PgConnectOptions options;
    try {
      options =
          PgConnectOptions.fromUri(
              url.startsWith("postgres://") ? "postgresql" + url.substring(8) : url);
    } catch (RuntimeException e) {
      // its message would repeat the URL, password and all
      throw new Settings.ConfigException(
          "invalid setting pg.url (BAEDAL_PG_URL="
              + Settings.shown("pg.url", url)
              + "): not a PostgreSQL connection URL");
    }
    options.setCachePreparedStatements(true).setPipeliningLimit(256);
    // leases: no statement runs, and no transaction stays open idle, for ever; a process paused
    // in the middle of a transaction loses its locks (the outbox relay's among them) after this
    Map<String, String> properties = new HashMap<>(options.getProperties());
    properties.put(
        "statement_timeout", String.valueOf(settings.integer("pg.statement-timeout-ms")));
    properties.put(
        "idle_in_transaction_session_timeout",
        String.valueOf(settings.integer("pg.idle-in-transaction-timeout-ms")));
    // a peer that vanished (a killed process, a cut network) is noticed by the server too
    properties.put("tcp_keepalives_idle", "10");
    properties.put("tcp_keepalives_interval", "5");
    properties.put("tcp_keepalives_count", "3");
    return options.setProperties(properties);
  }

  /**
   * The JDBC URL (for Flyway) of {@code pg.url}: host, port and database from the parsed options,
   * and the URL's query parameters as they are ({@code sslmode=require}, {@code sslrootcert=...}),
   * so that migrations connect as securely as the pool. The credentials go beside it.
   */
  public static String jdbcUrl(String pgUrl, PgConnectOptions o) {
    String host = o.getHost().contains(":") ? "[" + o.getHost() + "]" : o.getHost();
    int q = pgUrl.indexOf('?');
    // the credentials, also when given as parameters, go beside the URL
    String query =
        q < 0
            ? ""
            : Arrays.stream(pgUrl.substring(q + 1).split("&"))
                .filter(p -> !p.isEmpty() && !p.matches("(?i)(user|password)(=.*)?"))
                .collect(Collectors.joining("&"));
    return "jdbc:postgresql://"
        + host
        + ":"
        + o.getPort()
        + "/"
        + o.getDatabase()
        + (query.isEmpty() ? "" : "?" + query);
  }

  /**
   * The pool every verticle of this process shares: each call returns a handle on the same
   * connections (Vert.x shared pool, by name).
   */
  public static Pool pool(Vertx vertx, Settings settings) {
    return PgBuilder.pool()
        .with(
            new PoolOptions()
                .setShared(true)
                .setName(POOL_NAME)
                .setMaxSize(settings.integer("pg.pool-size"))
                .setMaxWaitQueueSize(10_000))
        // ... and by this side, on connections the pool keeps open
        .with(new NetClientOptions().setTcpKeepAlive(true))
        .connectingTo(connectOptions(settings))
        .using(vertx)
        .build();
  }

  /**
   * Runs the platform's migrations (outbox, inbox) and then {@code classpath:db/<context>} into
   * {@code schema}, creating it if needed. Blocking work, so it runs on a worker thread.
   */
  public static Future<Void> migrate(
      Vertx vertx, Settings settings, String schema, String context) {
    PgConnectOptions o = connectOptions(settings);
    String jdbc = jdbcUrl(settings.string("pg.url"), o);
    return vertx.executeBlocking(
        () -> {
          var result =
              Flyway.configure(Database.class.getClassLoader())
                  .dataSource(jdbc, o.getUser(), o.getPassword())
                  .schemas(schema)
                  .createSchemas(true)
                  .locations("classpath:db/platform", "classpath:db/" + context)
                  // the platform's migrations (0.x) and the context's (1, 2, ...) are two series
                  // in one history: a platform migration added later still applies to a schema
                  // whose context is already at version 2
                  .outOfOrder(true)
                  .loggers("slf4j")
                  .load()
                  .migrate();
          if (result.migrationsExecuted > 0) {
            log.info(
                "schema {}: {} migrations applied, now at version {}",
                schema,
                result.migrationsExecuted,
                result.targetSchemaVersion);
          }
          return null;
        },
        false);
  }
}
