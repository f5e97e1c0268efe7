package dev.baedal.platform;

import static dev.baedal.devinfra.TestInfra.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baedal.devinfra.TestInfra;
import dev.baedal.platform.consistency.NotYetException;
import dev.baedal.platform.db.Database;
import dev.baedal.platform.events.CloudEvent;
import dev.baedal.platform.health.Readiness;
import dev.baedal.platform.kafka.DeadLetterWatch;
import dev.baedal.platform.kafka.DeadLetters;
import dev.baedal.platform.kafka.IdempotentConsumer;
import dev.baedal.platform.metrics.Meters;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DeadLettersTest {
  private static final String SCHEMA = "consumer_test";

  private Vertx vertx;
  private Pool pool;
  private Settings settings;
  private IdempotentConsumer consumer;
  private DeadLetterWatch watch;
  private String topic;
  private String queue;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    settings =
        Infra.settings()
            .with("kafka.topic-prefix", "dl-" + UUID.randomUUID() + "-")
            .with("consumer.unknown-wait-ms", 1000)
            .with("dlq.check-interval-ms", 200);
    pool = Database.pool(vertx, settings);
    join(Database.migrate(vertx, settings, SCHEMA, "platformtest"));
    topic = Topics.qualified(settings, Topics.ORDER_EVENTS);
    queue = Topics.dlq(topic);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", TestInfra.kafka()))) {
      admin
          .createTopics(
              List.of(new NewTopic(topic, 2, (short) 1), new NewTopic(queue, 1, (short) 1)))
          .all()
          .get();
    }
    // counts a child once its parent is known; an orphan is dead-lettered after 1 s
    consumer =
        new IdempotentConsumer(
            vertx,
            pool,
            settings,
            SCHEMA,
            "dl-test",
            Set.of(topic),
            Set.of(),
            Set.of(),
            (tx, event) ->
                tx.preparedQuery("select 1 from consumer_test.parents where id = $1")
                    .execute(Tuple.of(event.data().getString("parent")))
                    .compose(
                        rs ->
                            rs.size() == 0
                                ? Future.failedFuture(NotYetException.notFound("no parent yet"))
                                : tx.preparedQuery(
                                        "insert into consumer_test.things (id, n) values ($1, 1)"
                                            + " on conflict (id) do update set n = things.n + 1")
                                    .execute(Tuple.of(event.subject()))
                                    .mapEmpty()));
    join(consumer.start());
    watch = DeadLetterWatch.start(vertx, settings);
  }

  @AfterEach
  void stop() {
    watch.stop();
    join(consumer.stop());
    join(vertx.close());
  }

  @Test
  @DisplayName(
      "a dead letter shows on /metrics and in readiness details, is listed with its reason, and"
          + " once its cause is fixed a redrive gets it handled and empties the queue")
  void listAndRedrive() throws Exception {
    String child = "child-" + UUID.randomUUID();
    send(
        CloudEvent.of("/test", "test.child", child, new JsonObject().put("parent", "p-late"))
            .encode(),
        child);

    await().atMost(Duration.ofSeconds(30)).until(() -> pending() == 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> gauge() == 1.0);
    JsonObject detail =
        join(Readiness.of(vertx).check()).getJsonObject("checks").getJsonObject("dead-letters");
    assertThat(detail.getString("status")).isEqualTo("UP");
    assertThat(detail.getBoolean("detail")).isTrue();
    assertThat(detail.getJsonObject("details").getLong("records")).isEqualTo(1);
    assertThat(detail.getJsonObject("details").getJsonObject("queues").getLong(queue)).isEqualTo(1);

    try (DeadLetters dlq = new DeadLetters(settings)) {
      assertThat(dlq.queueOf("order-events")).isEqualTo(queue);
      List<DeadLetters.Letter> letters = dlq.list(queue);
      assertThat(letters).hasSize(1);
      assertThat(letters.get(0).key()).isEqualTo(child);
      assertThat(letters.get(0).topic()).isEqualTo(topic);
      assertThat(letters.get(0).group()).endsWith("dl-test");
      assertThat(letters.get(0).reason()).startsWith("still not known after 1000 ms");

      // the cause goes away: the parent is known now
      join(
          pool.preparedQuery("insert into consumer_test.parents values ($1)")
              .execute(Tuple.of("p-late")));
      assertThat(dlq.redrive(queue)).hasSize(1);
      await().atMost(Duration.ofSeconds(30)).until(() -> count(child) == 1);
      assertThat(dlq.list(queue)).isEmpty();
      assertThat(dlq.pending()).containsEntry(queue, 0L);
      // a second redrive has nothing left to do
      assertThat(dlq.redrive(queue)).isEmpty();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> gauge() == 0.0);
    assertThat(count(child)).isEqualTo(1);
  }

  private long pending() {
    try (DeadLetters dlq = new DeadLetters(settings)) {
      return dlq.pending().get(queue);
    }
  }

  private double gauge() {
    var g = Meters.registry().find("baedal.dlq.records").tag("queue", queue).gauge();
    return g == null ? -1 : g.value();
  }

  private long count(String id) {
    return join(
        pool.preparedQuery("select coalesce(sum(n), 0) from consumer_test.things where id = $1")
            .execute(Tuple.of(id))
            .map(rs -> rs.iterator().next().getLong(0)));
  }

  private void send(String value, String key) {
    try (var producer =
        new KafkaProducer<>(
            Map.<String, Object>of("bootstrap.servers", TestInfra.kafka(), "acks", "all"),
            new StringSerializer(),
            new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, key, value)).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
