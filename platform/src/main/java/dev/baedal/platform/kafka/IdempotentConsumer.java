package dev.baedal.platform.kafka;

import dev.baedal.platform.Settings;
import dev.baedal.platform.Topics;
import dev.baedal.platform.consistency.Backlog;
import dev.baedal.platform.consistency.CatchUp;
import dev.baedal.platform.db.AfterCommit;
import dev.baedal.platform.events.CloudEvent;
import dev.baedal.platform.metrics.Meters;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes CloudEvents from Kafka and hands each to a handler inside a PostgreSQL transaction that
 * also records the event id in the context's inbox: a redelivered event finds its id there and
 * changes nothing. An offset is committed only once the transaction of its record has committed
 * (every {@code consumer.commit-interval-ms} at most, and when partitions are revoked or the
 * consumer stops); a batch that fails is polled again from its first record, never skipped. A
 * record that does not parse goes straight to {@code <topic>.dlq}; one whose handler keeps failing
 * goes there after {@code consumer.max-retries} retries; either way consumption carries on with the
 * next record.
 *
 * <p>A consumer names the event types it handles: records of other types (told by their {@code
 * ce_type} header) are passed over without being parsed or recorded. After each transaction
 * commits, the subjects it handled are announced to {@link CatchUp}, and the consumer's backlog
 * (how long its oldest record not yet handled has waited) is reported to {@link Backlog}.
 */
public final class IdempotentConsumer {
  private static final Logger log = LoggerFactory.getLogger(IdempotentConsumer.class);
  private static final Duration POLL = Duration.ofMillis(500);

  /** Records handled in one transaction at most. */
  private static final int BATCH = 100;

  /** Handles one event inside the transaction that records it as handled. */
  @FunctionalInterface
  public interface Handler {
    Future<Void> handle(SqlConnection tx, CloudEvent event);

    /**
     * Whether the handler itself makes a repeated event change nothing (a projection whose every
     * fact keeps its first value, say): then the inbox is not written, which saves a row and an
     * index entry per event. By default the inbox is what makes a handler idempotent.
     */
    default boolean idempotentByItself() {
      return false;
    }

    /**
     * Handles the new events of one chunk, in their order, in one transaction. By default one by
     * one; a context can override it to do the chunk in fewer round trips.
     */
    default Future<Void> handleAll(SqlConnection tx, List<CloudEvent> events) {
      Future<Void> chain = Future.succeededFuture();
      for (CloudEvent event : events) {
        chain = chain.compose(v -> handle(tx, event));
      }
      return chain;
    }
  }

  private final Vertx vertx;
  private final Pool pool;
  private final KafkaProducer<String, String> dlqProducer;
  private final Set<String> topics;
  private final Set<String> types;
  private final Handler handler;
  private final String markHandled;
  private final String markAllHandled;
  private final Timer batchTime;
  private final Timer lag;
  private final String name;
  private final int maxRetries;
  private final long retryBackoffMs;
  private final KafkaConsumer<String, String> consumer;
  private final long commitIntervalMs;

  /** Per partition, the offset after the last record handled: what the next commit commits. */
  private final Map<TopicPartition, Long> handled = new HashMap<>();

  private boolean uncommitted;
  private long lastCommit;
  private long commitTimer = -1;
  private final CatchUp catchUp;
  private volatile boolean assigned;
  private boolean stopped;

  /**
   * Since when the oldest record polled and not yet handled has waited for this consumer (its
   * broker timestamp, or when the consumer started if that is later), 0 when none.
   */
  private volatile long pendingSinceMs;

  private long startedMs;

  /**
   * @param schema the context's schema (holds the inbox)
   * @param group the consumer group (prefixed with {@code kafka.group-prefix}), one per context and
   *     purpose, e.g. {@code order-catalog}
   * @param types the event types to handle; the others are passed over (empty: every type)
   */
  public IdempotentConsumer(
      Vertx vertx,
      Pool pool,
      Settings settings,
      String schema,
      String group,
      Set<String> topics,
      Set<String> types,
      Handler handler) {
    this.vertx = vertx;
    this.pool = pool;
    this.dlqProducer = KafkaClients.sharedProducer(vertx, settings);
    this.topics = topics;
    this.types = Set.copyOf(types);
    this.handler = handler;
    this.catchUp = CatchUp.of(vertx);
    this.name = group;
    this.maxRetries = settings.integer("consumer.max-retries");
    this.retryBackoffMs = settings.integer("consumer.retry-backoff-ms");
    this.commitIntervalMs = settings.integer("consumer.commit-interval-ms");
    this.markHandled =
        "insert into " + schema + ".inbox (event_id, topic) values ($1, $2) on conflict do nothing";
    this.markAllHandled =
        "insert into "
            + schema
            + ".inbox (event_id, topic) select * from unnest($1::text[], $2::text[])"
            + " on conflict do nothing returning event_id";
    this.consumer = KafkaConsumer.create(vertx, KafkaClients.consumerConfig(settings, group));
    this.batchTime =
        Timer.builder("baedal.consumer.batch")
            .description("time to handle one polled batch of records and commit its offsets")
            .tag("group", group)
            .publishPercentiles(0.5, 0.99)
            .register(Meters.registry());
    this.lag =
        Timer.builder("baedal.consumer.lag")
            .description("from a record's broker timestamp to its offset being committed")
            .tag("group", group)
            .publishPercentiles(0.5, 0.99)
            .register(Meters.registry());
    this.consumer.partitionsAssignedHandler(partitions -> assigned = true);
    this.consumer.partitionsRevokedHandler(
        partitions -> {
          assigned = false;
          // what was handled is committed before another member takes the partitions over, so
          // it has as little as possible to find in its inbox again
          commitHandled();
          partitions.forEach(handled::remove);
        });
  }

  /** Subscribes; the returned future completes once the subscription exists. */
  public Future<Void> start() {
    startedMs = System.currentTimeMillis();
    Backlog.of(vertx).register(Backlog.CONSUMER + name, this::behindMs);
    commitTimer = vertx.setPeriodic(commitIntervalMs, id -> commitIfDue());
    return consumer.subscribe(topics).onSuccess(v -> pollLoop());
  }

  public Future<Void> stop() {
    stopped = true;
    vertx.cancelTimer(commitTimer);
    Backlog.of(vertx).unregister(Backlog.CONSUMER + name);
    return commitHandled().eventually(consumer::close);
  }

  /** How long the oldest record polled but not yet handled has waited, 0 when none. */
  public long behindMs() {
    long since = pendingSinceMs;
    return since == 0 ? 0 : Math.max(0, System.currentTimeMillis() - since);
  }

  /** True once the group gave this consumer its partitions (for readiness). */
  public boolean isAssigned() {
    return assigned;
  }

  private void pollLoop() {
    if (stopped) {
      return;
    }
    consumer
        .poll(POLL)
        .compose(this::handleAll)
        .onComplete(
            ar -> {
              if (ar.failed() && !stopped) {
                log.warn("consumer {}: poll/commit failed: {}", name, ar.cause().toString());
                vertx.setTimer(1000, id -> pollLoop());
              } else {
                pollLoop();
              }
            });
  }

  private Future<Void> handleAll(KafkaConsumerRecords<String, String> records) {
    if (records.isEmpty()) {
      return Future.succeededFuture();
    }
    long started = System.nanoTime();
    long oldest = Long.MAX_VALUE;
    List<KafkaConsumerRecord<String, String>> wanted = new ArrayList<>(records.size());
    for (int i = 0; i < records.size(); i++) {
      KafkaConsumerRecord<String, String> r = records.recordAt(i);
      oldest = Math.min(oldest, r.timestamp());
      if (wanted(r)) {
        wanted.add(r);
      }
    }
    // history older than this consumer (a new consumer group reads the topics from their start)
    // counts from when the consumer started: how long it has been behind, not how old the news is
    pendingSinceMs = Math.max(startedMs, oldest);
    Future<Void> chain = Future.succeededFuture();
    for (int from = 0; from < wanted.size(); from += BATCH) {
      List<KafkaConsumerRecord<String, String>> chunk =
          wanted.subList(from, Math.min(wanted.size(), from + BATCH));
      chain = chain.compose(v -> handleChunk(chunk));
    }
    return chain
        .onSuccess(
            v -> {
              pendingSinceMs = 0;
              long now = System.currentTimeMillis();
              for (int i = 0; i < records.size(); i++) {
                KafkaConsumerRecord<String, String> r = records.recordAt(i);
                handled.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
                // the broker's timestamp of the record: when the relay sent it
                lag.record(Math.max(0, now - r.timestamp()), TimeUnit.MILLISECONDS);
              }
              uncommitted = true;
              batchTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
              commitIfDue();
            })
        .recover(err -> rewind(records).transform(ignored -> Future.failedFuture(err)));
  }

  /**
   * After a batch failed: every partition goes back to the batch's first record in it, so the next
   * poll brings them again (what was handled meanwhile finds its id in the inbox), and no commit
   * ever moves past a record that was not handled.
   */
  private Future<Void> rewind(KafkaConsumerRecords<String, String> records) {
    Map<TopicPartition, Long> first = new HashMap<>();
    for (int i = 0; i < records.size(); i++) {
      KafkaConsumerRecord<String, String> r = records.recordAt(i);
      first.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::min);
    }
    List<Future<Void>> seeks = new ArrayList<>();
    first.forEach((tp, offset) -> seeks.add(consumer.seek(tp, offset)));
    return Future.join(seeks).mapEmpty();
  }

  /**
   * Offsets are committed at most every {@code consumer.commit-interval-ms}: each commit is a write
   * on the broker, and the inbox makes a record handled again after a crash harmless.
   */
  private void commitIfDue() {
    if (uncommitted && System.currentTimeMillis() - lastCommit >= commitIntervalMs) {
      commitHandled();
    }
  }

  private Future<Void> commitHandled() {
    if (!uncommitted || handled.isEmpty()) {
      return Future.succeededFuture();
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    handled.forEach((tp, offset) -> offsets.put(tp, new OffsetAndMetadata(offset, null)));
    uncommitted = false;
    lastCommit = System.currentTimeMillis();
    return consumer
        .commit(offsets)
        .onFailure(
            err -> {
              uncommitted = true;
              log.warn("consumer {}: commit failed, will try again: {}", name, err.toString());
            })
        .mapEmpty();
  }

  /** Whether the record is of a type this consumer handles (unknown types are let through). */
  private boolean wanted(KafkaConsumerRecord<String, String> record) {
    if (types.isEmpty()) {
      return true;
    }
    String type = EventHeaders.type(record);
    return type == null || types.contains(type);
  }

  /**
   * Handles a chunk of records in one transaction, which is much cheaper than one each. If any
   * record does not parse or the transaction fails, the chunk is handled again record by record,
   * with the retries and the dead-letter queue of {@link #handleOne}; the rolled-back transaction
   * left nothing behind, and the inbox skips whatever is done twice.
   */
  private Future<Void> handleChunk(List<KafkaConsumerRecord<String, String>> chunk) {
    List<CloudEvent> events = new ArrayList<>(chunk.size());
    for (KafkaConsumerRecord<String, String> r : chunk) {
      try {
        events.add(CloudEvent.parse(r.value()));
      } catch (IllegalArgumentException e) {
        return oneByOne(chunk);
      }
    }
    if (!types.isEmpty()) {
      // records without a type header: only now, parsed, is their type known
      List<KafkaConsumerRecord<String, String>> keptRecords = new ArrayList<>(chunk.size());
      List<CloudEvent> kept = new ArrayList<>(events.size());
      for (int i = 0; i < events.size(); i++) {
        if (types.contains(events.get(i).type())) {
          keptRecords.add(chunk.get(i));
          kept.add(events.get(i));
        }
      }
      if (kept.size() < events.size()) {
        return kept.isEmpty() ? Future.succeededFuture() : handleParsed(keptRecords, kept);
      }
    }
    return handleParsed(chunk, events);
  }

  private Future<Void> handleParsed(
      List<KafkaConsumerRecord<String, String>> chunk, List<CloudEvent> events) {
    if (chunk.size() == 1) {
      return attempt(chunk.get(0), events.get(0), 0);
    }
    return AfterCommit.<Void>transaction(pool, tx -> handleAllIn(tx, chunk, events))
        .onSuccess(v -> catchUp.applied(events.stream().map(CloudEvent::subject).toList()))
        .recover(
            err -> {
              if (stopped) {
                return Future.failedFuture(err);
              }
              log.warn(
                  "consumer {}: a chunk of {} records failed ({}); handling them one by one",
                  name,
                  chunk.size(),
                  err.toString());
              return oneByOne(chunk);
            });
  }

  /** Records the chunk's events as handled and hands over those not handled before. */
  private Future<Void> handleAllIn(
      SqlConnection tx, List<KafkaConsumerRecord<String, String>> chunk, List<CloudEvent> events) {
    if (handler.idempotentByItself()) {
      return handler.handleAll(tx, events);
    }
    String[] ids = new String[chunk.size()];
    String[] topicsOf = new String[chunk.size()];
    for (int i = 0; i < chunk.size(); i++) {
      ids[i] = events.get(i).id();
      topicsOf[i] = chunk.get(i).topic();
    }
    return tx.preparedQuery(markAllHandled)
        .execute(Tuple.tuple().addArrayOfString(ids).addArrayOfString(topicsOf))
        .compose(
            inserted -> {
              Set<String> fresh = new HashSet<>();
              inserted.forEach(row -> fresh.add(row.getString(0)));
              List<CloudEvent> todo = new ArrayList<>(fresh.size());
              for (CloudEvent event : events) {
                // remove: a record twice in one chunk is handled once
                if (fresh.remove(event.id())) {
                  todo.add(event);
                }
              }
              return todo.isEmpty() ? Future.<Void>succeededFuture() : handler.handleAll(tx, todo);
            });
  }

  private Future<Void> oneByOne(List<KafkaConsumerRecord<String, String>> chunk) {
    Future<Void> chain = Future.succeededFuture();
    for (KafkaConsumerRecord<String, String> r : chunk) {
      chain = chain.compose(v -> handleOne(r));
    }
    return chain;
  }

  /** Records the event as handled and hands it over, unless it was handled before. */
  private Future<Void> handleIn(SqlConnection tx, String topic, CloudEvent event) {
    if (handler.idempotentByItself()) {
      return handler.handle(tx, event);
    }
    return tx.preparedQuery(markHandled)
        .execute(Tuple.of(event.id(), topic))
        .compose(
            rs -> rs.rowCount() == 0 ? Future.<Void>succeededFuture() : handler.handle(tx, event));
  }

  private Future<Void> handleOne(KafkaConsumerRecord<String, String> record) {
    CloudEvent event;
    try {
      event = CloudEvent.parse(record.value());
    } catch (IllegalArgumentException e) {
      return deadLetter(record, "unparseable event: " + e.getMessage());
    }
    if (!types.isEmpty() && !types.contains(event.type())) {
      return Future.succeededFuture();
    }
    return attempt(record, event, 0);
  }

  private Future<Void> attempt(
      KafkaConsumerRecord<String, String> record, CloudEvent event, int n) {
    return AfterCommit.<Void>transaction(pool, tx -> handleIn(tx, record.topic(), event))
        .onSuccess(v -> catchUp.applied(List.of(event.subject())))
        .recover(
            err -> {
              if (stopped) {
                return Future.failedFuture(err);
              }
              if (n < maxRetries) {
                log.debug(
                    "consumer {}: {} {} failed, retrying: {}",
                    name,
                    event.type(),
                    event.subject(),
                    err.toString());
                return delay(retryBackoffMs << n).compose(v -> attempt(record, event, n + 1));
              }
              log.warn(
                  "consumer {}: {} for {} failed {} times, to the DLQ: {}",
                  name,
                  event.type(),
                  event.subject(),
                  n + 1,
                  err.toString());
              return deadLetter(record, "handler failed after " + (n + 1) + " attempts: " + err);
            });
  }

  private Future<Void> deadLetter(KafkaConsumerRecord<String, String> record, String reason) {
    String dlq = Topics.dlq(record.topic());
    log.warn(
        "consumer {}: {}[{}]@{} -> {}: {}",
        name,
        record.topic(),
        record.partition(),
        record.offset(),
        dlq,
        reason);
    KafkaProducerRecord<String, String> out =
        KafkaProducerRecord.create(dlq, record.key(), record.value())
            .addHeader("baedal.reason", reason)
            .addHeader("baedal.topic", record.topic())
            .addHeader("baedal.partition", String.valueOf(record.partition()))
            .addHeader("baedal.offset", String.valueOf(record.offset()))
            .addHeader("baedal.group", name);
    return dlqProducer.send(out).mapEmpty();
  }

  private Future<Void> delay(long ms) {
    Promise<Void> p = Promise.promise();
    vertx.setTimer(Math.max(1, ms), id -> p.complete());
    return p.future();
  }
}
