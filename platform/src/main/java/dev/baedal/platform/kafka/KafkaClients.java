package dev.baedal.platform.kafka;

import dev.baedal.platform.Settings;
import dev.baedal.platform.Topics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.NewTopic;
import io.vertx.kafka.client.producer.KafkaProducer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Kafka client configuration in one place, and the creation of the contract's topics.
 *
 * <p>Every client of the process (the shared producer, the consumers, the admin clients, the
 * replay's plain consumer) starts from {@link #base(Settings)}: the bootstrap servers and the
 * security settings ({@code kafka.security-protocol}, {@code kafka.sasl.*}, {@code kafka.ssl.*}).
 */
public final class KafkaClients {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(KafkaClients.class);

  /** The settings that secure the connection to the brokers; passed on to the Python notifier. */
  public static final List<String> SECURITY_SETTINGS =
      List.of(
          "kafka.security-protocol",
          "kafka.sasl.mechanism",
          "kafka.sasl.username",
          "kafka.sasl.password",
          "kafka.sasl.jaas-config",
          "kafka.ssl.truststore-location",
          "kafka.ssl.truststore-password",
          "kafka.ssl.truststore-type",
          "kafka.ssl.keystore-location",
          "kafka.ssl.keystore-password",
          "kafka.ssl.keystore-type",
          "kafka.ssl.key-password",
          "kafka.ssl.endpoint-identification");

  private KafkaClients() {}

  /**
   * What every client's configuration starts with: {@code bootstrap.servers} and the security
   * settings. A secret travels only in the map (Kafka logs its password-typed configs hidden).
   */
  public static Map<String, String> base(Settings settings) {
    Map<String, String> config = new HashMap<>();
    config.put("bootstrap.servers", bootstrap(settings));
    config.putAll(security(settings));
    return config;
  }

  /**
   * The Kafka client properties of the security settings: {@code security.protocol}, and, as the
   * protocol asks, the SASL mechanism and JAAS login (built from the username and password unless
   * {@code kafka.sasl.jaas-config} is given) and the TLS trust store, key store and endpoint
   * identification. Settings validate that they fit together (see {@link Settings}).
   */
  public static Map<String, String> security(Settings settings) {
    Map<String, String> config = new HashMap<>();
    String protocol = settings.string("kafka.security-protocol");
    config.put("security.protocol", protocol);
    if (protocol.startsWith("SASL_")) {
      String mechanism = settings.string("kafka.sasl.mechanism");
      config.put("sasl.mechanism", mechanism);
      String jaas = settings.string("kafka.sasl.jaas-config");
      config.put(
          "sasl.jaas.config",
          jaas.isEmpty()
              ? jaasConfig(
                  mechanism,
                  settings.string("kafka.sasl.username"),
                  settings.string("kafka.sasl.password"))
              : jaas);
    }
    if (protocol.endsWith("SSL")) {
      for (String store : List.of("truststore", "keystore")) {
        String location = settings.string("kafka.ssl." + store + "-location");
        if (!location.isEmpty()) {
          config.put("ssl." + store + ".location", location);
          config.put("ssl." + store + ".type", settings.string("kafka.ssl." + store + "-type"));
          putIfSet(
              config, "ssl." + store + ".password", settings, "kafka.ssl." + store + "-password");
        }
      }
      putIfSet(config, "ssl.key.password", settings, "kafka.ssl.key-password");
      String identification = settings.string("kafka.ssl.endpoint-identification");
      config.put(
          "ssl.endpoint.identification.algorithm",
          identification.equals("none") ? "" : identification);
    }
    return config;
  }

  /** The JAAS login of a SASL/PLAIN or SCRAM client with these credentials. */
  static String jaasConfig(String mechanism, String username, String password) {
    String module =
        mechanism.equals("PLAIN")
            ? "org.apache.kafka.common.security.plain.PlainLoginModule"
            : "org.apache.kafka.common.security.scram.ScramLoginModule";
    return module
        + " required username=\""
        + jaasQuoted(username)
        + "\" password=\""
        + jaasQuoted(password)
        + "\";";
  }

  /** A JAAS option value inside double quotes: backslashes and quotes escaped. */
  private static String jaasQuoted(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static void putIfSet(
      Map<String, String> config, String property, Settings settings, String key) {
    String value = settings.string(key);
    if (!value.isEmpty()) {
      config.put(property, value);
    }
  }

  /** The bootstrap servers, failing clearly when none are configured. */
  public static String bootstrap(Settings settings) {
    String servers = settings.string("kafka");
    if (servers.isEmpty()) {
      throw new Settings.ConfigException("kafka (BAEDAL_KAFKA) is not set");
    }
    return servers;
  }

  /**
   * The producer this process shares for the outbox relay and the dead-letter queues: idempotent,
   * {@code acks=all}, ordered per partition, and failing a send within seconds when the broker is
   * away (the relay retries with back-off; nothing is lost because the row stays pending).
   */
  public static KafkaProducer<String, String> sharedProducer(Vertx vertx, Settings settings) {
    Map<String, String> config = base(settings);
    config.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    config.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    config.put("acks", "all");
    config.put("enable.idempotence", "true");
    config.put("max.in.flight.requests.per.connection", "5");
    config.put("linger.ms", "1");
    // events are small and the broker is near: compressing them costs the producer, the broker
    // and every consumer more CPU than the bytes it saves
    config.put("compression.type", "none");
    config.put("max.block.ms", "5000");
    config.put("request.timeout.ms", "4000");
    config.put("delivery.timeout.ms", "8000");
    config.put("reconnect.backoff.max.ms", "1000");
    KafkaProducer<String, String> producer =
        KafkaProducer.createShared(vertx, "baedal-producer", config);
    // every send's own future carries its failure to the caller (the outbox relay retries); the
    // stream's handler would otherwise report each failed send again as "Unhandled exception"
    producer.exceptionHandler(e -> log.debug("producer: {}", e.toString()));
    return producer;
  }

  /**
   * Configuration of a consumer that commits offsets itself, in the group {@code
   * <kafka.group-prefix>-<group>} (the prefix lets two deployments share one broker).
   */
  public static Map<String, String> consumerConfig(Settings settings, String group) {
    Map<String, String> config = base(settings);
    config.put("group.id", settings.string("kafka.group-prefix") + "-" + group);
    config.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    config.put("value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    config.put("enable.auto.commit", "false");
    config.put("auto.offset.reset", "earliest");
    config.put("isolation.level", "read_committed");
    config.put("max.poll.records", "500");
    // Kafka's defaults (answer as soon as there is a record): under load a deployment may trade a
    // few ms per hop for fewer, larger fetches
    config.put("fetch.min.bytes", settings.string("consumer.fetch-min-bytes"));
    config.put("fetch.max.wait.ms", settings.string("consumer.fetch-max-wait-ms"));
    config.put("reconnect.backoff.max.ms", "1000");
    // a consumer that died without leaving (SIGKILL, a lost node) gives its partitions up after
    // this long; Kafka's default of 45 s would stall a restarted process as long
    int session = settings.integer("consumer.session-timeout-ms");
    config.put("session.timeout.ms", String.valueOf(session));
    config.put("heartbeat.interval.ms", String.valueOf(Math.max(500, session / 3)));
    return config;
  }

  /**
   * A readiness check that the broker answers: a cluster description within two seconds. The admin
   * client lives as long as the check.
   */
  public static Supplier<Future<?>> reachability(Vertx vertx, Settings settings) {
    Map<String, String> config = base(settings);
    config.put("request.timeout.ms", "2000");
    config.put("default.api.timeout.ms", "2000");
    config.put("reconnect.backoff.max.ms", "1000");
    KafkaAdminClient admin = KafkaAdminClient.create(vertx, config);
    return () -> admin.describeCluster();
  }

  /**
   * Creates every topic of the contract (and its dead-letter topic) that does not exist yet; with
   * {@code kafka.create-topics=false} it leaves that to the operator (a locked-down broker grants
   * the services no Create).
   */
  public static Future<Void> ensureTopics(Vertx vertx, Settings settings) {
    if (!settings.flag("kafka.create-topics")) {
      return Future.succeededFuture();
    }
    KafkaAdminClient admin = KafkaAdminClient.create(vertx, base(settings));
    int partitions = settings.integer("kafka.partitions");
    short replicas = (short) settings.integer("kafka.replication-factor");
    // the event topics are the system's history: the query side is rebuilt from them, so by
    // default they keep it (retention -1); min.insync.replicas makes acks=all mean something
    Map<String, String> events =
        Map.of(
            "retention.ms", String.valueOf(settings.integer("kafka.retention-ms")),
            "min.insync.replicas", String.valueOf(settings.integer("kafka.min-insync-replicas")));
    Map<String, String> compacted =
        Map.of(
            "cleanup.policy",
            "compact",
            "min.insync.replicas",
            String.valueOf(settings.integer("kafka.min-insync-replicas")));
    return admin
        .listTopics()
        .compose(
            existing -> {
              List<NewTopic> missing = new ArrayList<>();
              for (String base : Topics.EVENT_TOPICS) {
                String topic = Topics.qualified(settings, base);
                add(missing, existing, new NewTopic(topic, partitions, replicas).setConfig(events));
                add(
                    missing,
                    existing,
                    new NewTopic(Topics.dlq(topic), 1, replicas).setConfig(events));
              }
              String catalog = Topics.qualified(settings, Topics.CATALOG);
              add(missing, existing, new NewTopic(catalog, 1, replicas).setConfig(compacted));
              add(
                  missing,
                  existing,
                  new NewTopic(Topics.dlq(catalog), 1, replicas).setConfig(events));
              return missing.isEmpty() ? Future.succeededFuture() : admin.createTopics(missing);
            })
        .recover(
            err ->
                err.getMessage() != null && err.getMessage().contains("already exists")
                    ? Future.succeededFuture()
                    : Future.failedFuture(err))
        .eventually(admin::close);
  }

  private static void add(List<NewTopic> missing, Set<String> existing, NewTopic topic) {
    if (!existing.contains(topic.getName())) {
      missing.add(topic);
    }
  }
}
