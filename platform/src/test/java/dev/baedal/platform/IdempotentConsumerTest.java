package dev.baedal.platform;

import static dev.baedal.devinfra.TestInfra.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baedal.devinfra.KafkaProbe;
import dev.baedal.platform.db.Database;
import dev.baedal.platform.events.CloudEvent;
import dev.baedal.platform.kafka.IdempotentConsumer;
import dev.baedal.platform.metrics.Meters;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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

  /** A consumer that counts each event's subject in consumer_test.things. */
  private IdempotentConsumer counting(Settings settings) {
    return new IdempotentConsumer(
        vertx,
        pool,
        settings,
        SCHEMA,
        "test",
        Set.of(topic),
        Set.of(),
        (tx, event) -> {
          if (event.data().getBoolean("explode", false)) {
            return Future.failedFuture("this event always fails");
          }
          return tx.preparedQuery(
                  "insert into consumer_test.things (id, n) values ($1, 1)"
                      + " on conflict (id) do update set n = things.n + 1")
              .execute(Tuple.of(event.subject()))
              .mapEmpty();
        });
  }

  @AfterEach
  void stop() {
    join(consumer.stop());
    join(vertx.close());
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
  @DisplayName("records waiting together are handled in one chunk, the same event in it once")
  void duplicatesInOneChunk() {
    join(consumer.stop());
    CloudEvent twice = CloudEvent.of("/test", "test.counted", "thing-4", null);
    KafkaProbe.send(topic, "thing-4", twice.encode());
    KafkaProbe.send(topic, "thing-4", twice.encode());
    KafkaProbe.send(
        topic, "thing-5", CloudEvent.of("/test", "test.counted", "thing-5", null).encode());
    KafkaProbe.send(topic, "thing-4", twice.encode());

    consumer = counting(Infra.settings());
    join(consumer.start());
    // the three copies share a key, hence a partition, and are fetched together
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> count("thing-5") == 1 && count("thing-4") > 0);
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
