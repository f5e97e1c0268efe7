package dev.baedal.query;

import dev.baedal.platform.Settings;
import dev.baedal.platform.Topics;
import dev.baedal.platform.db.Database;
import dev.baedal.platform.events.CloudEvent;
import dev.baedal.platform.kafka.KafkaClients;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * {@code baedal replay}: rebuilds the order views from the Kafka topics alone, from the beginning,
 * into a fresh schema, then swaps it in for {@code query_svc}.
 *
 * <p>The swap is checked: under a lock that holds the live projection's writes (reads go on), the
 * rebuild catches up to the topics' end, and if any live view has no counterpart in the rebuild
 * (its events are no longer in the topics: retention deleted them) the swap is refused and the live
 * views stay as they are. A record that is not an event, or that the projection refuses for good,
 * is skipped and counted, as the live consumer dead-letters it; any other failure stops the replay
 * before the swap. Blocking: meant for the command line and tests, not an event loop.
 */
public final class Rebuild {
  /**
   * How long the swap waits for the records of live views the rebuild lacks before it takes them
   * for lost: a new order's view may be a moment ahead of its record.
   */
  private static final long LATE_RECORD_MS = 5000;

  /** What a rebuild did; {@code skipped} records were not events or were refused for good. */
  public record Result(String schema, long events, long views, long skipped, long millis) {}

  /** The swap would drop views that cannot be rebuilt: the live views were left unchanged. */
  public static final class RefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RefusedException(String message) {
      super(message);
    }
  }

  private final Vertx vertx;
  private final Settings settings;
  private final Pool pool;
  private final Consumer<String> progress;
  private long skipped;

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
      for (String topic : Topics.qualified(settings, QueryVerticle.TOPICS)) {
        for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
          partitions.add(new TopicPartition(topic, p.partition()));
        }
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      events = drain(consumer, partitions, projection, markHandled);
      progress.accept(events + " events replayed; swapping the rebuilt views in");
      try {
        events += swap(schema, () -> drain(consumer, partitions, projection, markHandled));
      } catch (RuntimeException e) {
        await(pool.query("drop schema " + schema + " cascade").execute());
        throw e;
      }
    }
    long views =
        await(
                pool.query("select count(*) from " + ViewRepository.SCHEMA + ".order_views")
                    .execute())
            .iterator()
            .next()
            .getLong(0);
    return new Result(
        schema, events, views, skipped, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
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
          skip(r, "not an event: " + e.getMessage());
          continue;
        }
        try {
          apply(r.topic(), event, projection, markHandled);
        } catch (CompletionException e) {
          if (!poison(e.getCause())) {
            throw new IllegalStateException(
                "replay stopped at " + where(r) + ", nothing swapped: " + e.getCause(), e);
          }
          skip(r, String.valueOf(e.getCause().getMessage()));
        }
        n++;
      }
    }
    return n;
  }

  private void apply(String topic, CloudEvent event, QueryService projection, String markHandled) {
    await(
        pool.withTransaction(
            tx ->
                tx.preparedQuery(markHandled)
                    .execute(Tuple.of(event.id(), topic))
                    .compose(
                        rs ->
                            rs.rowCount() == 0
                                ? Future.<Void>succeededFuture()
                                : projection.handle(tx, event))));
  }

  /** A failure the live consumer would dead-letter too: the projection refuses the event. */
  private static boolean poison(Throwable error) {
    return error instanceof IllegalArgumentException
        || error instanceof ClassCastException
        || error instanceof NullPointerException
        || error instanceof DateTimeParseException;
  }

  private void skip(ConsumerRecord<String, String> r, String reason) {
    skipped++;
    progress.accept("skipped " + where(r) + ": " + reason);
  }

  private static String where(ConsumerRecord<String, String> r) {
    return r.topic() + "[" + r.partition() + "]@" + r.offset();
  }

  /**
   * Swaps the rebuilt schema in for the live one, in one transaction that first holds the live
   * projection's writes and lets the rebuild catch up to the topics' end ({@code catchUp}, whose
   * count it returns); refuses (see {@link RefusedException}) if live views would be lost.
   */
  private long swap(String rebuilt, LongSupplier catchUp) {
    String live = ViewRepository.SCHEMA;
    String old = "query_svc_old_" + System.currentTimeMillis();
    SqlConnection conn = await(pool.getConnection());
    try {
      Transaction tx = await(conn.begin());
      try {
        // reads go on; the live projection's writes wait (and retry) until the swap is done
        await(conn.query("lock table " + live + ".order_views in exclusive mode").execute());
        long caughtUp = catchUp.getAsLong();
        Row lost = lost(conn, live, rebuilt);
        // a new order's view is written a moment before its order.placed is in the topic (the
        // order context hands the event over at once, Addresses.ORDER_PLACED): wait for those
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LATE_RECORD_MS);
        while (lost.getLong(0) > 0 && System.nanoTime() < deadline) {
          pause(100);
          caughtUp += catchUp.getAsLong();
          lost = lost(conn, live, rebuilt);
        }
        if (lost.getLong(0) > 0) {
          throw new RefusedException(
              "replay refused: "
                  + lost.getLong(0)
                  + " order views (e.g. "
                  + lost.getString(1)
                  + ") cannot be rebuilt, their events are no longer in the topics (see"
                  + " kafka.retention-ms); the live views are unchanged");
        }
        // versions never go back: live subscribers drop what is not newer than what they have
        await(
            conn.query(
                    "update "
                        + rebuilt
                        + ".order_views r set version = greatest(r.version, l.version) from "
                        + live
                        + ".order_views l where l.order_id = r.order_id")
                .execute());
        await(conn.query("alter schema " + live + " rename to " + old).execute());
        await(conn.query("alter schema " + rebuilt + " rename to " + live).execute());
        await(conn.query("drop schema " + old + " cascade").execute());
        await(tx.commit());
        return caughtUp;
      } catch (RuntimeException e) {
        tx.rollback();
        throw e;
      }
    } finally {
      conn.close();
    }
  }

  /** How many live views of placed orders the rebuilt schema lacks, and up to three of them. */
  private static Row lost(SqlConnection conn, String live, String rebuilt) {
    return await(
            conn.query(
                    "select count(*), string_agg(order_id::text, ', ') filter (where n <= 3)"
                        + " from (select l.order_id, row_number() over () as n from "
                        + live
                        + ".order_views l where l.state ? 'placedAt' and not exists"
                        + " (select 1 from "
                        + rebuilt
                        + ".order_views r where r.order_id = l.order_id"
                        + " and r.state ? 'placedAt')) missing")
                .execute())
        .iterator()
        .next();
  }

  private static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while swapping", e);
    }
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
