package dev.baedal.devinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The infrastructure that integration tests share: one Kafka broker and one PostgreSQL server per
 * test JVM, started on first use. {@code BAEDAL_KAFKA} and {@code BAEDAL_PG_URL} point the tests at
 * external servers instead.
 */
public final class TestInfra {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static KafkaBroker broker;
  private static EmbeddedPg postgres;

  private TestInfra() {}

  /** The bootstrap servers of the shared broker. */
  public static synchronized String kafka() {
    String external = System.getenv("BAEDAL_KAFKA");
    if (external != null && !external.isBlank()) {
      return external;
    }
    return broker().bootstrapServers();
  }

  /** The in-process broker, for tests that stop and restart it; fails with an external broker. */
  public static synchronized KafkaBroker broker() {
    if (broker == null) {
      broker = new KafkaBroker(tempDir("kafka"), 0).start();
      Runtime.getRuntime().addShutdownHook(new Thread(broker::stop, "kafka-stop"));
    }
    return broker;
  }

  /**
   * A new, empty database on the shared server, e.g. one per test class so that classes never see
   * each other's rows. Returns its postgresql:// URL.
   */
  public static synchronized String freshDatabase() {
    String name = "t" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    String admin = adminUrl();
    EmbeddedPg.createDatabase(admin, name);
    return admin.substring(0, admin.lastIndexOf('/') + 1) + name;
  }

  /** Waits for a Vert.x future from test code, rethrowing its failure. */
  public static <T> T join(io.vertx.core.Future<T> future) {
    return future
        .toCompletionStage()
        .toCompletableFuture()
        .orTimeout(90, java.util.concurrent.TimeUnit.SECONDS)
        .join();
  }

  private static String adminUrl() {
    String external = System.getenv("BAEDAL_PG_URL");
    if (external != null && !external.isBlank()) {
      return external;
    }
    if (postgres == null) {
      postgres = EmbeddedPg.start(null, 0, false);
      Runtime.getRuntime().addShutdownHook(new Thread(postgres::close, "postgres-stop"));
    }
    return postgres.url("postgres");
  }

  private static Path tempDir(String prefix) {
    try {
      Path dir = Files.createTempDirectory("baedal-" + prefix);
      dir.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
