package dev.baedal.devinfra;

import io.vertx.core.Future;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The infrastructure that integration tests share: one Kafka broker and one PostgreSQL server per
 * test JVM, started on first use and reused by every test class.
 *
 * <p>{@link InfraChoice} decides once per JVM which ones ({@code BAEDAL_TEST_INFRA=auto|containers|
 * embedded}): Testcontainers' Kafka and PostgreSQL where a Docker engine answers, the in-process
 * KRaft broker and the embedded PostgreSQL where none does; the choice and its reason are printed
 * once. {@code BAEDAL_KAFKA} and {@code BAEDAL_PG_URL} point the tests at external servers instead.
 */
public final class TestInfra {
  private static final Logger log = LoggerFactory.getLogger(TestInfra.class);
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static InfraChoice choice;
  private static KafkaBroker broker;
  private static EmbeddedPg postgres;
  private static Containers.Container kafkaContainer;
  private static Containers.Container pgContainer;

  private TestInfra() {}

  /**
   * The infrastructure of this JVM's tests and why, decided (and printed) on first use; fails at
   * once for {@code BAEDAL_TEST_INFRA=containers} without a Docker engine.
   */
  public static synchronized InfraChoice choice() {
    if (choice == null) {
      choice = InfraChoice.choose(InfraChoice.setting(), InfraChoice.testcontainers());
      String line = "Test infrastructure: " + choice.kind() + " (" + choice.why() + ")";
      System.out.println(line);
      log.info(line);
    }
    return choice;
  }

  private static boolean containers() {
    return choice().kind() == InfraChoice.Kind.CONTAINERS;
  }

  /** The bootstrap servers of the shared broker. */
  public static synchronized String kafka() {
    String external = System.getenv("BAEDAL_KAFKA");
    if (external != null && !external.isBlank()) {
      return external;
    }
    if (containers()) {
      return kafkaContainer().address();
    }
    return inProcessBroker().bootstrapServers();
  }

  /**
   * The shared broker, for tests that stop and restart it: the in-process one, or its container;
   * fails with an external broker ({@code BAEDAL_KAFKA}), which a test cannot stop.
   */
  public static synchronized Restartable broker() {
    String external = System.getenv("BAEDAL_KAFKA");
    if (external != null && !external.isBlank()) {
      throw new IllegalStateException("BAEDAL_KAFKA=" + external + " is not ours to stop");
    }
    if (containers()) {
      return kafkaContainer();
    }
    KafkaBroker b = inProcessBroker();
    return new Restartable() {
      @Override
      public void stop() {
        b.stop();
      }

      @Override
      public void start() {
        b.start();
      }
    };
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

  /**
   * A PostgreSQL server of the caller's own, with fsync on, that it may pause, kill and restart (an
   * embedded process tree, or a container in containers mode); the caller closes it.
   */
  public static PgServer crashablePostgres() {
    return containers()
        ? Containers.pgServer(Containers.postgres(true))
        : EmbeddedPgServer.start(true);
  }

  /** Waits for a Vert.x future from test code, rethrowing its failure. */
  public static <T> T join(Future<T> future) {
    return future.toCompletionStage().toCompletableFuture().orTimeout(90, TimeUnit.SECONDS).join();
  }

  private static KafkaBroker inProcessBroker() {
    if (broker == null) {
      broker = new KafkaBroker(tempDir("kafka"), 0).start();
      Runtime.getRuntime().addShutdownHook(new Thread(broker::stop, "kafka-stop"));
    }
    return broker;
  }

  private static Containers.Container kafkaContainer() {
    if (kafkaContainer == null) {
      kafkaContainer = Containers.kafka();
    }
    return kafkaContainer;
  }

  private static String adminUrl() {
    String external = System.getenv("BAEDAL_PG_URL");
    if (external != null && !external.isBlank()) {
      return external;
    }
    if (containers()) {
      if (pgContainer == null) {
        pgContainer = Containers.postgres(false);
      }
      return pgContainer.address();
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
