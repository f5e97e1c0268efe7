package dev.baedal.query;

import dev.baedal.platform.Settings;
import dev.baedal.platform.db.Database;
import dev.baedal.platform.events.CloudEvent;
import dev.baedal.platform.kafka.KafkaClients;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * {@code baedal replay}: rebuilds the order views from the Kafka topics alone, from the beginning,
 * into a fresh schema, then swaps it in for {@code query_svc}. After the swap it catches up once
 * more on what the live projection handled meanwhile; the projection and the inbox make applying an
 * event twice harmless. Blocking: meant for the command line and tests, not an event loop.
 */
public final class Rebuild {
  /** What a rebuild did. */
  public record Result(String schema, long events, long views, long millis) {}

  private final Vertx vertx;
  private final Settings settings;
  private final Pool pool;
  private final Consumer<String> progress;

  public Rebuild(Vertx vertx, Settings settings, Pool pool, Consumer<String> progress) {
    this.vertx = vertx;
    this.settings = settings;
    this.pool = pool;
    this.progress = progress;
  }

  public Result run() {
    long started = System.nanoTime();
    String schema = "query_svc_rebuild_" + System.currentTimeMillis();
    await(Database.migrate(vertx, settings, schema, "query"));
    progress.accept("rebuilding the order views into " + schema);
    QueryService projection = new QueryService(pool, schema, null);
    String markHandled =
        "insert into " + schema + ".inbox (event_id, topic) values ($1, $2) on conflict do nothing";
    long events;
    try (KafkaConsumer<String, String> consumer = consumer()) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : QueryVerticle.TOPICS) {
        for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
          partitions.add(new TopicPartition(topic, p.partition()));
        }
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      events = drain(consumer, partitions, projection, markHandled);
      progress.accept(events + " events replayed; swapping the rebuilt views in");
      swap(schema);
      events +=
          drain(
              consumer,
              partitions,
              new QueryService(pool, ViewRepository.SCHEMA, null),
              markHandled.replace(schema, ViewRepository.SCHEMA));
    }
    long views =
        await(
                pool.query("select count(*) from " + ViewRepository.SCHEMA + ".order_views")
                    .execute())
            .iterator()
            .next()
            .getLong(0);
    return new Result(
        schema, events, views, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  /** Applies every record up to the current end of the partitions; returns how many. */
  private long drain(
      KafkaConsumer<String, String> consumer,
      List<TopicPartition> partitions,
      QueryService projection,
      String markHandled) {
    Map<TopicPartition, Long> end =
        new HashMap<>(consumer.endOffsets(partitions, Duration.ofSeconds(30)));
    long n = 0;
    while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
      for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
        CloudEvent event;
        try {
          event = CloudEvent.parse(r.value());
        } catch (IllegalArgumentException e) {
          continue;
        }
        String topic = r.topic();
        await(
            pool.withTransaction(
                tx ->
                    tx.preparedQuery(markHandled)
                        .execute(Tuple.of(event.id(), topic))
                        .compose(
                            rs ->
                                rs.rowCount() == 0
                                    ? Future.<Void>succeededFuture()
                                    : projection
                                        .handle(tx, event)
                                        .recover(err -> Future.succeededFuture()))));
        n++;
      }
    }
    return n;
  }

  /** Renames the rebuilt schema to the live one in one transaction and drops the old views. */
  private void swap(String rebuilt) {
    String old = "query_svc_old_" + System.currentTimeMillis();
    await(
        pool.withTransaction(
            tx ->
                // versions never go back: live subscribers drop what is not newer than what
                // they have
                tx.query(
                        "update "
                            + rebuilt
                            + ".order_views r set version = greatest(r.version, l.version) from "
                            + ViewRepository.SCHEMA
                            + ".order_views l where l.order_id = r.order_id")
                    .execute()
                    .compose(
                        v ->
                            tx.query("alter schema " + ViewRepository.SCHEMA + " rename to " + old)
                                .execute())
                    .compose(
                        v ->
                            tx.query(
                                    "alter schema "
                                        + rebuilt
                                        + " rename to "
                                        + ViewRepository.SCHEMA)
                                .execute())
                    .compose(v -> tx.query("drop schema " + old + " cascade").execute())));
  }

  private KafkaConsumer<String, String> consumer() {
    Properties p = new Properties();
    p.putAll(KafkaClients.base(settings));
    p.put("group.id", settings.string("kafka.group-prefix") + "-replay-" + UUID.randomUUID());
    p.put("enable.auto.commit", "false");
    p.put("max.poll.records", "1000");
    return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
  }

  private static <T> T await(Future<T> future) {
    return future.toCompletionStage().toCompletableFuture().orTimeout(5, TimeUnit.MINUTES).join();
  }
}
