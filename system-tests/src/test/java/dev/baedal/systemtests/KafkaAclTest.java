package dev.baedal.systemtests;

import static dev.baedal.devinfra.TestInfra.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.baedal.devinfra.KafkaBroker;
import dev.baedal.devinfra.TestInfra;
import dev.baedal.launcher.Node;
import dev.baedal.launcher.Service;
import dev.baedal.platform.Settings;
import dev.baedal.platform.Topics;
import dev.baedal.platform.events.CloudEvent;
import dev.baedal.platform.kafka.KafkaClients;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The ACLs of {@code deploy/kafka/acls.sh} on a real broker with SASL/SCRAM and the {@code
 * StandardAuthorizer}: forged events from the wrong service or from no service are refused, and
 * every service, configured only through its {@code kafka.*} security settings, runs with its own
 * credentials.
 */
class KafkaAclTest {
  /**
   * The one writer of each topic, as the contract's contexts own them (not read from the script).
   */
  private static final Map<String, String> OWNER =
      Map.of(
          Topics.CATALOG, "store",
          Topics.STORE_EVENTS, "store",
          Topics.ORDER_EVENTS, "order",
          Topics.PAYMENT_EVENTS, "payment",
          Topics.DELIVERY_EVENTS, "rider",
          Topics.NOTIFICATION_REQUESTS, "notify",
          Topics.NOTIFICATION_RECEIPTS, "notifier");

  private static final String ADMIN = "admin";
  private static final Map<String, String> PASSWORDS = new TreeMap<>();
  private static KafkaBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    PASSWORDS.put(ADMIN, secret());
    for (Service s : Service.values()) {
      PASSWORDS.put(s.id(), secret());
    }
    PASSWORDS.put("notifier", secret());
    broker =
        new KafkaBroker(
                Files.createTempDirectory("baedal-sasl-kafka"),
                0,
                new KafkaBroker.Sasl(ADMIN, PASSWORDS))
            .start();
    Vertx vertx = Vertx.vertx();
    try {
      join(KafkaClients.ensureTopics(vertx, settings(ADMIN, Map.of("kafka.create-topics", true))));
    } finally {
      join(vertx.close());
    }
    KafkaAcls.runScript(broker);
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.stop();
    }
  }

  @Test
  @DisplayName(
      "after acls.sh, exactly one service may write each topic, the owner of its events, and only"
          + " a topic's consumers may write its dead letters")
  void scriptGrantsWritesToTheOwnersOnly() {
    Map<String, Set<String>> writers = KafkaAcls.users(broker, AclOperation.WRITE);
    OWNER.forEach(
        (topic, owner) ->
            assertThat(writers.get(topic)).as("writers of " + topic).containsExactly(owner));
    Map<String, Set<String>> readers = KafkaAcls.users(broker, AclOperation.READ);
    writers.forEach(
        (topic, users) -> {
          if (topic.endsWith(".dlq")) {
            String source = topic.substring(0, topic.length() - ".dlq".length());
            assertThat(readers.get(source))
                .as("only consumers of %s dead-letter into %s", source, topic)
                .containsAll(users);
          }
        });
  }

  @Test
  @DisplayName(
      "each service writes its own topics; a forged catalog.store-updated or store.order-rejected"
          + " from any other service is refused by the broker and never stored")
  void onlyTheOwnerWrites() throws Exception {
    List<String> users = new ArrayList<>(PASSWORDS.keySet());
    users.remove(ADMIN);
    Map<String, Set<String>> refused = new TreeMap<>();
    for (String user : users) {
      try (KafkaProducer<String, String> producer = producer(settings(user, Map.of()))) {
        for (String topic : new TreeSet<>(OWNER.keySet())) {
          ProducerRecord<String, String> forged = forged(topic, user);
          if (OWNER.get(topic).equals(user)) {
            producer.send(forged).get(30, TimeUnit.SECONDS);
          } else {
            assertThatThrownBy(() -> producer.send(forged).get(30, TimeUnit.SECONDS))
                .as("%s writing %s", user, topic)
                // the topic's ACLs refuse it; a user that may write no topic at all is already
                // refused the idempotent producer's id (a cluster authorization), after which
                // its producer refuses every send at once, with that refusal as the cause
                .hasRootCauseInstanceOf(AuthorizationException.class);
            refused.computeIfAbsent(topic, t -> new TreeSet<>()).add(user);
          }
        }
      }
    }
    assertThat(refused.get(Topics.CATALOG)).contains("order", "payment", "notify", "gateway");
    assertThat(refused.get(Topics.STORE_EVENTS)).contains("order", "payment", "rider");

    Map<String, Set<String>> stored = forgedSenders(OWNER.keySet());
    OWNER.forEach(
        (topic, owner) ->
            assertThat(stored.get(topic)).as("senders on " + topic).containsExactly(owner));
  }

  @Test
  @DisplayName(
      "a client without credentials, or with a wrong password, cannot write catalog or store-events")
  void unauthenticatedIsRefused() {
    Settings plaintext =
        Settings.defaults()
            .with("kafka", broker.bootstrapServers())
            .with("kafka.security-protocol", "PLAINTEXT");
    try (KafkaProducer<String, String> producer = producer(plaintext)) {
      assertThatThrownBy(() -> producer.send(forged(Topics.CATALOG, "anonymous")).get())
          .as("a plaintext client on the SASL listener")
          .hasCauseInstanceOf(TimeoutException.class);
    }
    Settings wrong =
        settings("store", Map.of("kafka.sasl.password", "not-" + PASSWORDS.get("store")));
    try (KafkaProducer<String, String> producer = producer(wrong)) {
      assertThatThrownBy(() -> producer.send(forged(Topics.STORE_EVENTS, "impostor")).get())
          .as("the store's name with a wrong password")
          .hasCauseInstanceOf(SaslAuthenticationException.class);
    }
    assertThat(forgedSenders(Set.of(Topics.CATALOG, Topics.STORE_EVENTS)).values())
        .allSatisfy(senders -> assertThat(senders).doesNotContain("anonymous", "impostor"));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Service.class)
  @DisplayName(
      "the service, with only its own credentials and the ACLs of acls.sh, starts and gets ready"
          + " (its consumers have their partitions, its producer and admin client connect)")
  void serviceRunsWithItsOwnCredentials(Service service) throws Exception {
    Settings settings =
        settings(
            service.id(),
            Map.of(
                "pg.url",
                TestInfra.freshDatabase(),
                "http.port",
                0,
                "management.port",
                0,
                "jwt.secret",
                secret() + secret(),
                "payment.card-key",
                secret() + secret(),
                "outbox.poll-ms",
                200));
    Node node = join(Node.start(settings, List.of(service), line -> {}));
    try {
      try (Api ops = new Api("http://127.0.0.1:" + node.managementPort())) {
        ops.awaitReady();
      }
      if (service == Service.STORE) {
        await("the store's catalogue snapshots on " + Topics.CATALOG)
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    !read(Set.of(Topics.CATALOG), r -> r.value().contains("\"/store\"")).isEmpty());
      }
    } finally {
      join(node.stop());
    }
  }

  // --- helpers

  /** Settings of a Baedal process that logs in as {@code user} with SCRAM-SHA-512. */
  private static Settings settings(String user, Map<String, Object> more) {
    JsonObject flat =
        new JsonObject()
            .put("kafka", broker.bootstrapServers())
            .put("kafka.group-prefix", "baedal")
            .put("kafka.create-topics", false)
            .put("kafka.security-protocol", "SASL_PLAINTEXT")
            .put("kafka.sasl.mechanism", "SCRAM-SHA-512")
            .put("kafka.sasl.username", user)
            .put("kafka.sasl.password", PASSWORDS.get(user));
    more.forEach(flat::put);
    return Settings.of(flat);
  }

  private static KafkaProducer<String, String> producer(Settings settings) {
    Properties p = new Properties();
    p.putAll(KafkaClients.base(settings));
    p.put("acks", "all");
    p.put("max.block.ms", "8000");
    p.put("delivery.timeout.ms", "20000");
    p.put("request.timeout.ms", "5000");
    return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
  }

  /** A forged event for {@code topic} that names its sender in the subject. */
  private static ProducerRecord<String, String> forged(String topic, String sender) {
    String type =
        switch (topic) {
          case Topics.CATALOG -> "catalog.store-updated";
          case Topics.STORE_EVENTS -> "store.order-rejected";
          default -> "forged.event";
        };
    JsonObject data = new JsonObject().put("storeId", "store-1").put("price", 1);
    CloudEvent event = CloudEvent.of("/forged/" + sender, type, "store-1", data);
    return new ProducerRecord<>(topic, "store-1", event.encode());
  }

  /** Topic to the senders of the forged events stored on it, read as the super user. */
  private static Map<String, Set<String>> forgedSenders(Set<String> topics) {
    Map<String, Set<String>> senders = new HashMap<>();
    for (ConsumerRecord<String, String> r : read(topics, r -> r.value().contains("/forged/"))) {
      String source = CloudEvent.parse(r.value()).source();
      senders
          .computeIfAbsent(r.topic(), t -> new TreeSet<>())
          .add(source.substring("/forged/".length()));
    }
    return senders;
  }

  /** Every record of {@code topics} up to their current end that {@code filter} accepts. */
  private static List<ConsumerRecord<String, String>> read(
      Set<String> topics, java.util.function.Predicate<ConsumerRecord<String, String>> filter) {
    Properties p = broker.adminProperties();
    p.put("group.id", "probe-" + UUID.randomUUID());
    p.put("auto.offset.reset", "earliest");
    p.put("enable.auto.commit", "false");
    List<ConsumerRecord<String, String>> got = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      var partitions =
          topics.stream()
              .flatMap(t -> consumer.partitionsFor(t).stream())
              .map(i -> new org.apache.kafka.common.TopicPartition(i.topic(), i.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      var end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))
          && System.nanoTime() < deadline) {
        consumer
            .poll(Duration.ofMillis(200))
            .forEach(
                r -> {
                  if (filter.test(r)) {
                    got.add(r);
                  }
                });
      }
    }
    return got;
  }

  private static String secret() {
    return UUID.randomUUID().toString().replace("-", "");
  }
}
