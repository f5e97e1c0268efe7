package dev.baedal.platform;

import static dev.baedal.devinfra.TestInfra.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baedal.devinfra.KafkaProbe;
import dev.baedal.devinfra.TestInfra;
import dev.baedal.platform.consistency.NotYetException;
import dev.baedal.platform.db.Database;
import dev.baedal.platform.events.CloudEvent;
import dev.baedal.platform.kafka.IdempotentConsumer;
import dev.baedal.platform.metrics.Meters;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class IdempotentConsumerTest {
  private static final String SCHEMA = "consumer_test";

  private Vertx vertx;
  private Pool pool;
  private IdempotentConsumer consumer;
  private String topic;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    Settings settings = Infra.settings();
    pool = Database.pool(vertx, settings);
    join(Database.migrate(vertx, settings, SCHEMA, "platformtest"));
    topic = "consumer-test-" + UUID.randomUUID();
    KafkaProbe.send(topic, "warm-up", "not an event"); // creates the topic
    consumer = counting(settings);
    join(consumer.start());
  }

  /**
   * A consumer that counts each event's subject in consumer_test.things. An event with {@code
   * explode} always fails; one with a {@code parent} waits until that parent is in
   * consumer_test.parents; one with {@code gated} needs the gate row, which a test can hold locked.
   */
  private IdempotentConsumer counting(Settings settings) {
    return new IdempotentConsumer(
        vertx,
        pool,
        settings,
        SCHEMA,
        "test",
        Set.of(topic),
        Set.of(),
        Set.of(),
        (tx, event) -> {
          if (event.data().getBoolean("explode", false)) {
            return Future.failedFuture("this event always fails");
          }
          Future<Void> first = Future.succeededFuture();
          String parent = event.data().getString("parent");
          if (parent != null) {
            first =
                tx.preparedQuery("select 1 from consumer_test.parents where id = $1")
                    .execute(Tuple.of(parent))
                    .compose(
                        rs ->
                            rs.size() == 1
                                ? Future.succeededFuture()
                                : Future.failedFuture(
                                    NotYetException.notFound("no parent " + parent + " yet")));
          }
          if (event.data().getBoolean("gated", false)) {
            // fails with lock_not_available (55P03) while the test holds the row: weather
            first =
                tx.query("select id from consumer_test.gate for update nowait")
                    .execute()
                    .mapEmpty();
          }
          return first.compose(
              v ->
                  tx.preparedQuery(
                          "insert into consumer_test.things (id, n) values ($1, 1)"
                              + " on conflict (id) do update set n = things.n + 1")
                      .execute(Tuple.of(event.subject()))
                      .mapEmpty());
        });
  }

  @AfterEach
  void stop() {
    join(consumer.stop());
    join(vertx.close());
  }

  @Test
  @DisplayName(
      "a batch whose work never completes (a lost reply) is given up after"
          + " consumer.batch-timeout-ms, polled again and handled")
  void lostReplyIsGivenUp() {
    String subject = "hang-" + UUID.randomUUID();
    String own = "consumer-test-" + UUID.randomUUID();
    KafkaProbe.send(own, "warm-up", "not an event"); // creates the topic
    AtomicInteger attempts = new AtomicInteger();
    IdempotentConsumer hanging =
        new IdempotentConsumer(
            vertx,
            pool,
            Infra.settings().with("consumer.batch-timeout-ms", 1500),
            SCHEMA,
            "test-hang-" + UUID.randomUUID(),
            Set.of(own),
            Set.of(),
            Set.of(),
            (tx, event) -> {
              if (!event.subject().equals(subject)) {
                return Future.succeededFuture();
              }
              if (attempts.getAndIncrement() == 0) {
                // the first attempt's reply never comes
                return Promise.<Void>promise().future();
              }
              return tx.preparedQuery("insert into consumer_test.things (id, n) values ($1, 1)")
                  .execute(Tuple.of(event.subject()))
                  .mapEmpty();
            });
    join(hanging.start());
    try {
      KafkaProbe.send(own, subject, CloudEvent.of("/test", "test.counted", subject, null).encode());
      await().atMost(Duration.ofSeconds(30)).until(() -> count(subject) >= 1);
      assertThat(attempts.get()).as("tried again after the first was given up").isEqualTo(2);
      assertThat(count(subject)).isEqualTo(1);
      await().atMost(Duration.ofSeconds(5)).until(() -> hanging.behindMs() == 0);
    } finally {
      join(hanging.stop());
    }
  }

  @Test
  @DisplayName("a redelivered event changes nothing")
  void redeliveryIsIgnored() {
    CloudEvent event = CloudEvent.of("/test", "test.counted", "thing-1", null);
    KafkaProbe.send(topic, "thing-1", event.encode());
    KafkaProbe.send(topic, "thing-1", event.encode());
    KafkaProbe.send(
        topic, "thing-1", CloudEvent.of("/test", "test.counted", "thing-1", null).encode());

    await().atMost(Duration.ofSeconds(30)).until(() -> count("thing-1") == 2);
    // the duplicate came before the last event, which has been handled: it was skipped
    assertThat(count("thing-1")).isEqualTo(2);
  }

  @Test
  @DisplayName(
      "an event handled early, before its record is read, is handled once: the record, and a"
          + " second early copy, find it in the inbox")
  void earlyEventIsHandledOnce() {
    CloudEvent event = CloudEvent.of("/test", "test.counted", "early-1", null);
    join(consumer.handleEarly(topic, event));
    assertThat(count("early-1")).as("handled with no record sent").isEqualTo(1);

    KafkaProbe.send(topic, "early-1", event.encode());
    // in the same partition, after the copy: once it is counted, the copy was read
    KafkaProbe.send(
        topic, "early-1", CloudEvent.of("/test", "test.counted", "after-early", null).encode());
    await().atMost(Duration.ofSeconds(30)).until(() -> count("after-early") == 1);
    join(consumer.handleEarly(topic, event));
    assertThat(count("early-1")).isEqualTo(1);
  }

  @Test
  @DisplayName("records waiting together are handled in one chunk, the same event in it once")
  void duplicatesInOneChunk() {
    join(consumer.stop());
    CloudEvent twice = CloudEvent.of("/test", "test.counted", "thing-4", null);
    KafkaProbe.send(topic, "thing-4", twice.encode());
    KafkaProbe.send(topic, "thing-4", twice.encode());
    KafkaProbe.send(
        topic, "thing-5", CloudEvent.of("/test", "test.counted", "thing-5", null).encode());
    KafkaProbe.send(topic, "thing-4", twice.encode());
    // after the copies in their partition: once it is counted, so are they
    KafkaProbe.send(
        topic, "thing-4", CloudEvent.of("/test", "test.counted", "after-4", null).encode());

    consumer = counting(Infra.settings());
    join(consumer.start());
    // the three copies share a key, hence a partition, and are fetched together
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> count("thing-5") == 1 && count("after-4") == 1);
    assertThat(count("thing-4")).isEqualTo(1);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                Meters.registry().find("baedal.consumer.lag").tag("group", "test").timer().count()
                    >= 4);
    assertThat(Meters.scrape()).contains("baedal_consumer_batch_seconds_count{group=\"test\"}");
  }

  @Test
  @DisplayName("a poison record goes to the DLQ with its reason and the next record is processed")
  void poisonGoesToDlq() {
    KafkaProbe.send(topic, "bad", "{\"this\": \"is not a CloudEvent\"");
    KafkaProbe.send(
        topic, "thing-2", CloudEvent.of("/test", "test.counted", "thing-2", null).encode());

    await().atMost(Duration.ofSeconds(30)).until(() -> count("thing-2") == 1);
    List<ConsumerRecord<String, String>> dead =
        KafkaProbe.read(
            List.of(topic + ".dlq"), r -> "bad".equals(r.key()), 1, Duration.ofSeconds(30));
    assertThat(dead).hasSize(1);
    assertThat(reason(dead.get(0))).startsWith("unparseable event");
  }

  @Test
  @DisplayName(
      "an event whose handler keeps failing goes to the DLQ after the retries, and consumption carries on")
  void failingHandlerGoesToDlq() {
    CloudEvent bomb =
        CloudEvent.of("/test", "test.bomb", "bomb", new JsonObject().put("explode", true));
    KafkaProbe.send(topic, "bomb", bomb.encode());
    KafkaProbe.send(
        topic, "thing-3", CloudEvent.of("/test", "test.counted", "thing-3", null).encode());

    await().atMost(Duration.ofSeconds(30)).until(() -> count("thing-3") == 1);
    List<ConsumerRecord<String, String>> dead =
        KafkaProbe.read(
            List.of(topic + ".dlq"), r -> "bomb".equals(r.key()), 1, Duration.ofSeconds(30));
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).value()).isEqualTo(bomb.encode());
    assertThat(reason(dead.get(0))).contains("after 4 attempts").contains("always fails");
    assertThat(count("bomb")).isZero();
  }

  @Test
  @DisplayName(
      "a failure that passes (a lock not available) is retried for as long as it lasts, never dead-lettered")
  @SuppressWarnings("try") // the holder is there for its lock, which the try holds and releases
  void weatherIsWaitedOut() throws Exception {
    CloudEvent gated =
        CloudEvent.of("/test", "test.gated", "gated", new JsonObject().put("gated", true));
    CloudEvent after = CloudEvent.of("/test", "test.counted", "after-gated", null);
    double transientBefore = failures("transient");
    double poisonBefore = failures("poison");
    try (var holder = holdGate()) {
      KafkaProbe.send(topic, "gated", gated.encode());
      KafkaProbe.send(topic, "gated", after.encode());
      // twice the attempts after which a poison record is dead-lettered
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> failures("transient") - transientBefore >= 8);
      assertThat(count("gated")).as("handled while the lock is held").isZero();
      assertThat(count("after-gated")).as("the record after it overtook it").isZero();
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> count("after-gated") == 1);
    assertThat(count("gated")).isEqualTo(1);
    assertThat(failures("poison")).isEqualTo(poisonBefore);
    assertThat(deadLetters("gated")).isEmpty();
  }

  @Test
  @DisplayName(
      "an event about something not known yet waits, its partition paused, while the others go on")
  void earlyEventWaitsForItsParent() {
    join(consumer.stop());
    topic = twoPartitionTopic();
    consumer = counting(Infra.settings());
    join(consumer.start());

    CloudEvent child =
        CloudEvent.of("/test", "test.child", "child-1", new JsonObject().put("parent", "p-1"));
    sendTo(0, "p-1", child.encode());
    sendTo(0, "p-1", CloudEvent.of("/test", "test.counted", "after-child", null).encode());
    sendTo(1, "other", CloudEvent.of("/test", "test.counted", "other-1", null).encode());

    await().atMost(Duration.ofSeconds(30)).until(() -> count("other-1") == 1);
    assertThat(count("child-1")).isZero();
    assertThat(count("after-child")).as("in order behind the early event").isZero();

    join(
        pool.preparedQuery("insert into consumer_test.parents values ($1)")
            .execute(Tuple.of("p-1")));
    await().atMost(Duration.ofSeconds(30)).until(() -> count("after-child") == 1);
    assertThat(count("child-1")).isEqualTo(1);
    assertThat(deadLetters("p-1")).isEmpty();
  }

  @Test
  @DisplayName("an event whose subject never becomes known goes to the DLQ after the wait")
  void orphanGoesToDlqAfterTheWait() {
    join(consumer.stop());
    consumer = counting(Infra.settings().with("consumer.unknown-wait-ms", 1500));
    join(consumer.start());
    CloudEvent orphan =
        CloudEvent.of("/test", "test.child", "orphan", new JsonObject().put("parent", "never"));
    KafkaProbe.send(topic, "orphan", orphan.encode());
    KafkaProbe.send(
        topic, "orphan", CloudEvent.of("/test", "test.counted", "after-orphan", null).encode());

    await().atMost(Duration.ofSeconds(30)).until(() -> count("after-orphan") == 1);
    List<ConsumerRecord<String, String>> dead = deadLetters("orphan");
    assertThat(dead).hasSize(1);
    assertThat(reason(dead.get(0))).startsWith("still not known after 1500 ms");
    assertThat(count("orphan")).isZero();
  }

  private static double failures(String kind) {
    var counter =
        Meters.registry()
            .find("baedal.consumer.failures")
            .tag("group", "test")
            .tag("kind", kind)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  /** A connection of the test's own that holds the gate row locked until closed. */
  private AutoCloseable holdGate() {
    var conn = join(pool.getConnection());
    join(conn.query("begin").execute());
    // the lease on idle transactions (pg.idle-in-transaction-timeout-ms) would end this one
    join(conn.query("set local idle_in_transaction_session_timeout = 0").execute());
    join(conn.query("select id from consumer_test.gate for update").execute());
    return () -> {
      join(conn.query("rollback").execute());
      join(conn.close());
    };
  }

  private List<ConsumerRecord<String, String>> deadLetters(String key) {
    return KafkaProbe.read(
        List.of(topic + ".dlq"), r -> key.equals(r.key()), 1, Duration.ofSeconds(3));
  }

  private String twoPartitionTopic() {
    String name = "consumer-test-" + UUID.randomUUID();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", TestInfra.kafka()))) {
      admin.createTopics(List.of(new NewTopic(name, 2, (short) 1))).all().get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return name;
  }

  private void sendTo(int partition, String key, String value) {
    try (var producer =
        new KafkaProducer<>(
            Map.<String, Object>of("bootstrap.servers", TestInfra.kafka(), "acks", "all"),
            new StringSerializer(),
            new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, partition, key, value)).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private long count(String id) {
    return join(
        pool.preparedQuery("select coalesce(sum(n), 0) from consumer_test.things where id = $1")
            .execute(Tuple.of(id))
            .map(rs -> rs.iterator().next().getLong(0)));
  }

  private static String reason(ConsumerRecord<String, String> r) {
    return new String(r.headers().lastHeader("baedal.reason").value(), StandardCharsets.UTF_8);
  }
}
