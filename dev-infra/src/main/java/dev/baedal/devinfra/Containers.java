package dev.baedal.devinfra;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.kafka.ConfluentKafkaContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Kafka (KRaft) and PostgreSQL in Docker containers, started by Testcontainers for {@link
 * TestInfra}'s containers mode, from the {@link Images}. Each container's port is bound to a fixed
 * host port, so that a container that was stopped or killed comes back on the same address.
 *
 * <p>Only this class (loaded in containers mode or for the Docker check) touches Testcontainers.
 */
final class Containers {
  private static final Logger log = LoggerFactory.getLogger(Containers.class);

  private static final Duration DOCKER_CHECK = Duration.ofSeconds(30);
  private static final Duration READY = Duration.ofSeconds(120);

  private Containers() {}

  /** Empty when Testcontainers finds a usable Docker engine within 30 s, else why not. */
  static Optional<String> dockerProblem() {
    CompletableFuture<Optional<String>> check =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                DockerClientFactory.instance().client();
                return Optional.empty();
              } catch (RuntimeException e) {
                return Optional.of(e.getMessage() + hint());
              }
            });
    try {
      return check.get(DOCKER_CHECK.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      return Optional.of(
          "the Docker engine did not answer within " + DOCKER_CHECK.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while asking Docker");
    } catch (ExecutionException e) {
      return Optional.of(String.valueOf(e.getCause()));
    }
  }

  private static String hint() {
    String host = System.getenv("DOCKER_HOST");
    if (host != null && !host.isBlank()) {
      return " (DOCKER_HOST=" + host + ")";
    }
    return Files.exists(Path.of("/var/run/docker.sock"))
        ? " (/var/run/docker.sock exists but did not answer)"
        : " (DOCKER_HOST is unset and there is no /var/run/docker.sock)";
  }

  /** A Kafka container (apache/kafka, or confluentinc/cp-kafka by override), started. */
  static Container kafka() {
    String image = Images.kafka();
    int hostPort = KafkaBroker.freePort();
    GenericContainer<?> c =
        image.contains("cp-kafka")
            ? new ConfluentKafkaContainer(DockerImageName.parse(image))
            : new KafkaContainer(
                DockerImageName.parse(image).asCompatibleSubstituteFor("apache/kafka"));
    c.withEnv("KAFKA_NUM_PARTITIONS", "4")
        .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "true")
        .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
    bind(c, hostPort, 9092);
    c.start();
    String bootstrap =
        c instanceof KafkaContainer k
            ? k.getBootstrapServers()
            : ((ConfluentKafkaContainer) c).getBootstrapServers();
    log.info("Kafka container {} at {}", image, bootstrap);
    return new Container("Kafka " + image, c, bootstrap, () -> kafkaAnswers(bootstrap));
  }

  /**
   * A PostgreSQL container (user and password {@code postgres}, database {@code postgres}),
   * started; {@code durable} keeps fsync on (crash tests), else it is off for speed.
   */
  static Container postgres(boolean durable) {
    String image = Images.postgres();
    int hostPort = KafkaBroker.freePort();
    PostgreSQLContainer c =
        new PostgreSQLContainer(DockerImageName.parse(image).asCompatibleSubstituteFor("postgres"))
            .withUsername("postgres")
            .withPassword("postgres")
            .withDatabaseName("postgres");
    String flag = durable ? "on" : "off";
    c.withCommand(
        "postgres",
        "-c",
        "fsync=" + flag,
        "-c",
        "synchronous_commit=" + flag,
        "-c",
        "max_connections=200");
    bind(c, hostPort, 5432);
    c.start();
    String url = "postgresql://postgres:postgres@" + c.getHost() + ":" + hostPort + "/postgres";
    log.info("PostgreSQL container {} at {}", image, JdbcUrl.redact(url));
    return new Container("PostgreSQL " + image, c, url, () -> pgAnswers(url));
  }

  /**
   * A started container as a {@link Crashable}, through Docker's own commands: pause, unpause,
   * kill, stop, start; {@code address} is its bootstrap servers or URL, the same after a restart.
   */
  static final class Container implements Crashable, AutoCloseable {
    private final String name;
    private final GenericContainer<?> container;
    private final String address;
    private final BooleanSupplier answers;

    Container(String name, GenericContainer<?> container, String address, BooleanSupplier answers) {
      this.name = name;
      this.container = container;
      this.address = address;
      this.answers = answers;
    }

    String address() {
      return address;
    }

    private DockerClient docker() {
      return container.getDockerClient();
    }

    @Override
    public void pause() {
      docker().pauseContainerCmd(container.getContainerId()).exec();
    }

    @Override
    public void resume() {
      docker().unpauseContainerCmd(container.getContainerId()).exec();
    }

    @Override
    public void kill() {
      docker().killContainerCmd(container.getContainerId()).withSignal("KILL").exec();
    }

    @Override
    public void stop() {
      docker().stopContainerCmd(container.getContainerId()).withTimeout(30).exec();
    }

    @Override
    public void start() {
      docker().startContainerCmd(container.getContainerId()).exec();
      long deadline = System.nanoTime() + READY.toNanos();
      while (!answers.getAsBoolean()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(name + " did not answer within " + READY);
        }
        try {
          Thread.sleep(200); // the poll's interval, under the deadline above
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    }

    @Override
    public void close() {
      container.stop();
    }
  }

  /** A PostgreSQL container as a {@link PgServer}. */
  static PgServer pgServer(Container c) {
    return new PgServer() {
      @Override
      public String adminUrl() {
        return c.address();
      }

      @Override
      public void pause() {
        c.pause();
      }

      @Override
      public void resume() {
        c.resume();
      }

      @Override
      public void kill() {
        c.kill();
      }

      @Override
      public void stop() {
        c.stop();
      }

      @Override
      public void start() {
        c.start();
      }

      @Override
      public void close() {
        c.close();
      }
    };
  }

  /**
   * Publishes {@code containerPort} on a fixed host port (Docker would pick a new one on start), on
   * the loopback where the engine is local.
   */
  private static void bind(GenericContainer<?> c, int hostPort, int containerPort) {
    String host = DockerClientFactory.instance().dockerHostIpAddress();
    Ports.Binding binding =
        host.equals("localhost") || host.startsWith("127.")
            ? Ports.Binding.bindIpAndPort("127.0.0.1", hostPort)
            : Ports.Binding.bindPort(hostPort);
    c.withCreateContainerCmdModifier(
        cmd ->
            cmd.getHostConfig()
                .withPortBindings(new PortBinding(binding, new ExposedPort(containerPort))));
  }

  private static boolean kafkaAnswers(String bootstrap) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("request.timeout.ms", "2000");
    p.put("default.api.timeout.ms", "2000");
    try (Admin admin = Admin.create(p)) {
      admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private static boolean pgAnswers(String url) {
    JdbcUrl jdbc = JdbcUrl.of(url);
    try (Connection c = DriverManager.getConnection(jdbc.jdbcUrl(), jdbc.user(), jdbc.password())) {
      return c.isValid(2);
    } catch (Exception e) {
      return false;
    }
  }
}
