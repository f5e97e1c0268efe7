package dev.baedal.platform;

import static dev.baedal.devinfra.TestInfra.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baedal.devinfra.KafkaProbe;
import dev.baedal.devinfra.TestInfra;
import dev.baedal.platform.db.Database;
import dev.baedal.platform.events.CloudEvent;
import dev.baedal.platform.kafka.KafkaClients;
import dev.baedal.platform.outbox.Outbox;
import dev.baedal.platform.outbox.OutboxRelay;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OutboxRelayTest {
  private static final String SCHEMA = "relay_test";
  private static Vertx vertx;
  private static Settings settings;
  private static Pool pool;
  private static OutboxRelay relay;
  private static final Outbox outbox = new Outbox(SCHEMA);

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    settings = Infra.settings();
    pool = Database.pool(vertx, settings);
    join(
        Database.migrate(vertx, settings, SCHEMA, "platformtest")
            .compose(v -> KafkaClients.ensureTopics(vertx, settings)));
    relay = new OutboxRelay(vertx, settings, KafkaClients.sharedProducer(vertx, settings), SCHEMA);
    join(relay.start());
  }

  @AfterAll
  static void stop() {
    join(relay.stop());
    join(vertx.close());
  }

  @Test
  @DisplayName("events written in a committed transaction reach Kafka in order, keyed by subject")
  void committedEventsArrive() {
    String topic = "relay-test-" + UUID.randomUUID();
    String order = UUID.randomUUID().toString();
    List<CloudEvent> events = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      events.add(CloudEvent.of("/test", "test.step", order, new JsonObject().put("n", i)));
    }
    join(pool.withTransaction(tx -> outbox.append(tx, topic, events)));

    List<ConsumerRecord<String, String>> got = readAll(topic, 20);
    assertThat(got).extracting(ConsumerRecord::key).containsOnly(order);
    assertThat(got)
        .extracting(r -> CloudEvent.parse(r.value()).data().getInteger("n"))
        .containsExactlyElementsOf(range(20));
    assertThat(pendingRows()).isZero();
  }

  @Test
  @DisplayName(
      "an outbox handing events over publishes those of its types on the event bus once the"
          + " transaction commits, and nothing of one rolled back")
  void handOverAfterCommit() {
    String address = "hand-over-test-" + UUID.randomUUID();
    List<String> published = java.util.Collections.synchronizedList(new ArrayList<>());
    join(vertx.eventBus().<String>consumer(address, m -> published.add(m.body())).completion());
    Outbox handing = outbox.handingOver(vertx, address, java.util.Set.of("test.handed"));
    String topic = "relay-test-" + UUID.randomUUID();
    String order = UUID.randomUUID().toString();
    CloudEvent handed = CloudEvent.of("/test", "test.handed", order, null);
    CloudEvent kept = CloudEvent.of("/test", "test.kept", order, null);
    CloudEvent rolledBack = CloudEvent.of("/test", "test.handed", order, null);
    Future<Void> failed =
        dev.baedal.platform.db.AfterCommit.transaction(
            pool,
            tx ->
                handing
                    .append(tx, topic, rolledBack)
                    .compose(v -> Future.failedFuture(new IllegalStateException("rollback"))));
    assertThat(failed.toCompletionStage().toCompletableFuture())
        .failsWithin(Duration.ofSeconds(10));
    join(
        dev.baedal.platform.db.AfterCommit.transaction(
            pool, tx -> handing.append(tx, topic, List.of(handed, kept))));

    await().atMost(Duration.ofSeconds(10)).until(() -> !published.isEmpty());
    assertThat(readAll(topic, 2)).hasSize(2);
    assertThat(published).extracting(b -> CloudEvent.parse(b).id()).containsExactly(handed.id());
  }

  @Test
  @DisplayName("events of a rolled-back transaction are never sent")
  void rolledBackEventsStay() {
    String topic = "relay-test-" + UUID.randomUUID();
    String order = UUID.randomUUID().toString();
    Future<Void> failed =
        pool.withTransaction(
            tx ->
                outbox
                    .append(tx, topic, CloudEvent.of("/test", "test.lost", order, null))
                    .compose(v -> Future.failedFuture("business rule broken")));
    assertThat(failed.toCompletionStage().toCompletableFuture())
        .failsWithin(Duration.ofSeconds(10));
    join(
        pool.withTransaction(
            tx -> outbox.append(tx, topic, CloudEvent.of("/test", "test.kept", order, null))));

    List<ConsumerRecord<String, String>> got = readAll(topic, 1);
    assertThat(got)
        .extracting(r -> CloudEvent.parse(r.value()).type())
        .containsExactly("test.kept");
  }

  @Test
  @DisplayName(
      "with the broker stopped, events wait in the outbox; after it restarts each arrives once")
  void survivesBrokerOutage() {
    String topic = "relay-test-" + UUID.randomUUID();
    join(KafkaClients.ensureTopics(vertx, settings));
    // make sure the topic exists before the outage so that only delivery is under test
    join(
        pool.withTransaction(
            tx -> outbox.append(tx, topic, CloudEvent.of("/test", "test.before", "k", null))));
    readAll(topic, 1);

    TestInfra.broker().stop();
    try {
      for (int i = 0; i < 30; i++) {
        int n = i;
        join(
            pool.withTransaction(
                tx ->
                    outbox.append(
                        tx,
                        topic,
                        CloudEvent.of(
                            "/test", "test.during", "k" + (n % 3), new JsonObject().put("n", n)))));
      }
      assertThat(pendingRows()).isEqualTo(30);
    } finally {
      TestInfra.broker().start();
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> pendingRows() == 0);
    List<ConsumerRecord<String, String>> got = readAll(topic, 31);
    List<String> ids = got.stream().map(r -> CloudEvent.parse(r.value()).id()).toList();
    assertThat(ids).doesNotHaveDuplicates().hasSize(31);
    for (int k = 0; k < 3; k++) {
      String key = "k" + k;
      List<Integer> perKey =
          got.stream()
              .filter(r -> r.key().equals(key))
              .map(r -> CloudEvent.parse(r.value()).data().getInteger("n"))
              .toList();
      assertThat(perKey).isSorted();
    }
  }

  @Test
  @DisplayName(
      "a relay that stops mid-lease (its event loop stalled) loses the lease after outbox.lease-ms,"
          + " and another relay sends what comes meanwhile")
  void stalledRelayLosesItsLease() throws Exception {
    String schema = "relay_lease_test";
    String topic = "relay-test-" + UUID.randomUUID();
    Settings leased = settings.with("outbox.lease-ms", 1000);
    join(Database.migrate(vertx, leased, schema, "platformtest"));
    Outbox leasedOutbox = new Outbox(schema);
    // each relay in a Vert.x of its own with a single event loop, which can be stalled whole
    Vertx first = Vertx.vertx(new io.vertx.core.VertxOptions().setEventLoopPoolSize(1));
    Vertx second = Vertx.vertx(new io.vertx.core.VertxOptions().setEventLoopPoolSize(1));
    OutboxRelay holder = relay(first, leased, schema);
    OutboxRelay standby = null;
    try {
      join(holder.start());
      join(
          pool.withTransaction(
              tx -> leasedOutbox.append(tx, topic, CloudEvent.of("/test", "test.a", "k", null))));
      readAll(topic, 1);
      standby = relay(second, leased, schema);
      join(standby.start());

      java.util.concurrent.CountDownLatch stalled = new java.util.concurrent.CountDownLatch(1);
      long stallMs = 8000;
      first.runOnContext(
          v -> {
            stalled.countDown();
            // the fault: this process's event loop does nothing for a while
            java.util.concurrent.locks.LockSupport.parkNanos(stallMs * 1_000_000);
          });
      stalled.await();
      long stalledAt = System.nanoTime();
      join(
          pool.withTransaction(
              tx -> leasedOutbox.append(tx, topic, CloudEvent.of("/test", "test.b", "k", null))));

      List<ConsumerRecord<String, String>> got = readAll(topic, 2);
      long tookMs = (System.nanoTime() - stalledAt) / 1_000_000;
      assertThat(got)
          .extracting(r -> CloudEvent.parse(r.value()).type())
          .containsExactly("test.a", "test.b");
      assertThat(tookMs).as("sent by the standby while the holder was stalled").isLessThan(stallMs);
    } finally {
      if (standby != null) {
        join(standby.stop());
      }
      join(holder.stop());
      join(first.close());
      join(second.close());
    }
  }

  private static OutboxRelay relay(Vertx on, Settings with, String schema) {
    return new OutboxRelay(on, with, KafkaClients.sharedProducer(on, with), schema);
  }

  private static long pendingRows() {
    return join(
        pool.query("select count(*) from " + SCHEMA + ".outbox")
            .execute()
            .map(rs -> rs.iterator().next().getLong(0)));
  }

  private static List<Integer> range(int n) {
    List<Integer> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(i);
    }
    return list;
  }

  private static List<ConsumerRecord<String, String>> readAll(String topic, int expected) {
    return KafkaProbe.read(List.of(topic), r -> true, expected, Duration.ofSeconds(60));
  }
}
