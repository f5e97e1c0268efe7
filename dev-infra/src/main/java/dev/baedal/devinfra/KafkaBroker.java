package dev.baedal.devinfra;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka broker (KRaft, combined broker + controller) running inside this JVM.
 *
 * <p>Used by {@code baedal dev}, {@code baedal kafka} and the integration tests. The log directory
 * and the ports are kept across {@link #stop()} / {@link #start()} so a test can take the broker
 * away and bring the same one back.
 *
 * <p>With {@link Sasl} users the client listener is {@code SASL_PLAINTEXT} (mechanisms PLAIN,
 * SCRAM-SHA-256 and SCRAM-SHA-512, every user with both), the controller listener SASL/PLAIN, and
 * the {@code StandardAuthorizer} refuses everything that no ACL allows, but to the super user.
 */
public final class KafkaBroker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KafkaBroker.class);

  private final Path dataDir;
  private final int port;
  private final int controllerPort;
  private final Sasl sasl;
  private KafkaRaftServer server;

  /**
   * The users of a SASL broker. {@code admin} is the super user (ACLs do not apply to it) and the
   * identity the broker uses towards itself; {@code users} maps every user, the admin too, to its
   * password.
   */
  public record Sasl(String admin, Map<String, String> users) {
    public Sasl {
      users = Map.copyOf(users);
      if (!users.containsKey(admin)) {
        throw new IllegalArgumentException("the super user '" + admin + "' has no password");
      }
      for (String name : users.keySet()) {
        if (!name.matches("[A-Za-z0-9._-]+")) {
          throw new IllegalArgumentException("not a usable SASL user name: '" + name + "'");
        }
      }
    }

    /** Client properties that log in as {@code user} with SCRAM-SHA-512. */
    public Properties client(String user) {
      return clientProperties("SCRAM-SHA-512", user, users.get(user));
    }
  }

  /**
   * @param dataDir where the log segments live; formatted on first use
   * @param port the client port on 127.0.0.1, or 0 for a free one
   */
  public KafkaBroker(Path dataDir, int port) {
    this(dataDir, port, null);
  }

  /**
   * @param sasl the users of a SASL broker with ACLs, or null for a plaintext one open to all
   */
  public KafkaBroker(Path dataDir, int port, Sasl sasl) {
    this.dataDir = dataDir;
    this.port = port == 0 ? freePort() : port;
    this.controllerPort = freePort();
    this.sasl = sasl;
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /** {@code PLAINTEXT}, or {@code SASL_PLAINTEXT} with users. */
  public String securityProtocol() {
    return sasl == null ? "PLAINTEXT" : "SASL_PLAINTEXT";
  }

  /**
   * The properties of a client of this broker: bootstrap servers and, with users, the admin's
   * login.
   */
  public Properties adminProperties() {
    Properties p = new Properties();
    if (sasl != null) {
      p.putAll(sasl.client(sasl.admin()));
    }
    p.put("bootstrap.servers", bootstrapServers());
    return p;
  }

  /** Client properties that log in with {@code mechanism} as {@code user}. */
  public static Properties clientProperties(String mechanism, String user, String password) {
    Properties p = new Properties();
    p.put("security.protocol", "SASL_PLAINTEXT");
    p.put("sasl.mechanism", mechanism);
    String module =
        mechanism.equals("PLAIN")
            ? "org.apache.kafka.common.security.plain.PlainLoginModule"
            : "org.apache.kafka.common.security.scram.ScramLoginModule";
    p.put(
        "sasl.jaas.config",
        BrokerSasl.jaas(module, Map.of("username", user, "password", password)));
    return p;
  }

  /** Formats the log directory if needed and starts the broker; returns when it serves clients. */
  public synchronized KafkaBroker start() {
    if (server != null) {
      return this;
    }
    try {
      Files.createDirectories(dataDir);
      Path configFile = dataDir.resolve("server.properties");
      Properties props = properties();
      try (Writer out = Files.newBufferedWriter(configFile, StandardCharsets.UTF_8)) {
        props.store(out, "written by baedal");
      }
      if (!Files.exists(dataDir.resolve("logs").resolve("meta.properties"))) {
        format(configFile);
      }
      KafkaRaftServer raft = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
      raft.startup();
      server = raft;
      if (sasl != null) {
        BrokerSasl.addScramCredentials(sasl, bootstrapServers());
      }
      log.info("Kafka broker (KRaft) listening on {} ({})", bootstrapServers(), securityProtocol());
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops the broker; the data stays so that {@link #start()} brings the same broker back. */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    server.shutdown();
    server.awaitShutdown();
    server = null;
    log.info("Kafka broker on {} stopped", bootstrapServers());
  }

  @Override
  public void close() {
    stop();
  }

  private Properties properties() {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put(
        "listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    if (sasl != null) {
      BrokerSasl.secure(p, sasl, port, controllerPort);
    }
    p.put("log.dirs", dataDir.resolve("logs").toString());
    p.put("num.partitions", "4");
    p.put("auto.create.topics.enable", "true");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "4");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "4");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("log.flush.interval.messages", "1");
    p.put("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
    p.put("log.cleaner.dedupe.buffer.size", String.valueOf(4 * 1024 * 1024));
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "2");
    p.put("background.threads", "2");
    p.put("log.cleaner.threads", "1");
    return p;
  }

  private static void format(Path configFile) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String[] args = {
      "format",
      "-t",
      Uuid.randomUuid().toString(),
      "-c",
      configFile.toString(),
      "--ignore-formatted"
    };
    int rc = StorageTool.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8));
    if (rc != 0) {
      throw new IllegalStateException(
          "formatting the Kafka log directory failed: " + out.toString(StandardCharsets.UTF_8));
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
