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

/** Kafka client configuration in one place, and the creation of the contract's topics. */
public final class KafkaClients {
  private KafkaClients() {}

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
    Map<String, String> config = new HashMap<>();
    config.put("bootstrap.servers", bootstrap(settings));
    config.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    config.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    config.put("acks", "all");
    config.put("enable.idempotence", "true");
    config.put("max.in.flight.requests.per.connection", "5");
    config.put("linger.ms", "1");
    config.put("compression.type", "lz4");
    config.put("max.block.ms", "5000");
    config.put("request.timeout.ms", "4000");
    config.put("delivery.timeout.ms", "8000");
    config.put("reconnect.backoff.max.ms", "1000");
    return KafkaProducer.createShared(vertx, "baedal-producer", config);
  }

  /**
   * Configuration of a consumer that commits offsets itself, in the group {@code
   * <kafka.group-prefix>-<group>} (the prefix lets two deployments share one broker).
   */
  public static Map<String, String> consumerConfig(Settings settings, String group) {
    Map<String, String> config = new HashMap<>();
    config.put("bootstrap.servers", bootstrap(settings));
    config.put("group.id", settings.string("kafka.group-prefix") + "-" + group);
    config.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    config.put("value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    config.put("enable.auto.commit", "false");
    config.put("auto.offset.reset", "earliest");
    config.put("isolation.level", "read_committed");
    config.put("max.poll.records", "500");
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
  public static java.util.function.Supplier<Future<?>> reachability(
      Vertx vertx, Settings settings) {
    Map<String, String> config =
        Map.of(
            "bootstrap.servers", bootstrap(settings),
            "request.timeout.ms", "2000",
            "default.api.timeout.ms", "2000",
            "reconnect.backoff.max.ms", "1000");
    KafkaAdminClient admin = KafkaAdminClient.create(vertx, config);
    return () -> admin.describeCluster();
  }

  /** Creates every topic of the contract (and its dead-letter topic) that does not exist yet. */
  public static Future<Void> ensureTopics(Vertx vertx, Settings settings) {
    Map<String, String> config = Map.of("bootstrap.servers", bootstrap(settings));
    KafkaAdminClient admin = KafkaAdminClient.create(vertx, config);
    int partitions = settings.integer("kafka.partitions");
    return admin
        .listTopics()
        .compose(
            existing -> {
              List<NewTopic> missing = new ArrayList<>();
              for (String topic : Topics.EVENT_TOPICS) {
                add(missing, existing, new NewTopic(topic, partitions, (short) 1));
                add(missing, existing, new NewTopic(Topics.dlq(topic), 1, (short) 1));
              }
              add(
                  missing,
                  existing,
                  new NewTopic(Topics.CATALOG, 1, (short) 1)
                      .setConfig(Map.of("cleanup.policy", "compact")));
              add(missing, existing, new NewTopic(Topics.dlq(Topics.CATALOG), 1, (short) 1));
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
