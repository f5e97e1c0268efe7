package dev.baedal.devinfra;

/**
 * A PostgreSQL server of a fault test's own (not the shared one that other test classes use), which
 * the test can pause, kill and restart: {@link TestInfra#crashablePostgres()} gives an embedded one
 * (a real {@code postgres} process tree) or, in containers mode, a container. It runs with fsync
 * and synchronous commit on, so what it acknowledged survives a SIGKILL.
 */
public interface PgServer extends Crashable, AutoCloseable {
  /**
   * The URL of its {@code postgres} database, e.g. postgresql://postgres@127.0.0.1:5432/postgres.
   */
  String adminUrl();

  /** Creates a new, empty database on it and returns its URL. */
  default String freshDatabase(String name) {
    EmbeddedPg.createDatabase(adminUrl(), name);
    return adminUrl().substring(0, adminUrl().lastIndexOf('/') + 1) + name;
  }

  /** Stops it for good and removes what it stored. */
  @Override
  void close();
}
