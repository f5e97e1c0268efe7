package dev.baedal.platform.kafka;

import dev.baedal.platform.Settings;
import dev.baedal.platform.Topics;
import dev.baedal.platform.consistency.Backlog;
import dev.baedal.platform.consistency.CatchUp;
import dev.baedal.platform.consistency.Failures;
import dev.baedal.platform.db.AfterCommit;
import dev.baedal.platform.events.CloudEvent;
import dev.baedal.platform.metrics.Meters;
import io.micrometer.core.instrument.Counter;
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
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes CloudEvents from Kafka and hands each to a handler inside a PostgreSQL transaction that
 * also records the event id in the context's inbox: a redelivered event finds its id there and
 * changes nothing. An offset is committed only once the transaction of its record has committed
 * (every {@code consumer.commit-interval-ms} at most, and when partitions are revoked or the
 * consumer stops).
 *
 * <p>Failures are told apart ({@link Failures}):
 *
 * <ul>
 *   <li>weather (PostgreSQL or Kafka unreachable, a timeout, a deadlock): the batch is rewound and
 *       polled again after a capped back-off, for as long as it lasts; nothing past it is committed
 *       and nothing is dead-lettered;
 *   <li>an event about something the context does not know yet: that partition alone is paused at
 *       the record and tried again, for up to {@code consumer.unknown-wait-ms}; the other
 *       partitions go on;
 *   <li>poison (a record that does not parse, or a handler that keeps failing on it after {@code
 *       consumer.max-retries} quick retries): the record goes to {@code <topic>.dlq} with the
 *       reason and consumption carries on. If that send fails, the batch is rewound.
 * </ul>
 *
 * <p>A consumer names the event types it handles: records of other types (told by their {@code
 * ce_type} header) are passed over without being parsed or recorded; one of a type the published
 * language does not declare is also counted and logged once ({@link TypeFilter}). After each
 * transaction commits, the subjects it handled are announced to {@link CatchUp}, and the consumer's
 * backlog (how long its oldest record not yet handled has waited) is reported to {@link Backlog}.
 */
public final class IdempotentConsumer {
  private static final Logger log = LoggerFactory.getLogger(IdempotentConsumer.class);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final long MAX_BACKOFF_MS = 10_000;

  /** How long a partition pauses at a record about something not known yet, between tries. */
  private static final long UNKNOWN_RETRY_MS = 250;

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

    /** A handler that does each chunk with {@code chunk}, and a lone event as a chunk of one. */
    static Handler ofChunks(BiFunction<SqlConnection, List<CloudEvent>, Future<Void>> chunk) {
      return new Handler() {
        @Override
        public Future<Void> handle(SqlConnection tx, CloudEvent event) {
          return chunk.apply(tx, List.of(event));
        }

        @Override
        public Future<Void> handleAll(SqlConnection tx, List<CloudEvent> events) {
          return chunk.apply(tx, events);
        }
      };
    }
  }

  private final Vertx vertx;
  private final Pool pool;
  private final KafkaProducer<String, String> dlqProducer;
  private final Set<String> topics;
  private final TypeFilter types;
  private final Handler handler;
  private final String markHandled;
  private final String markAllHandled;
  private final Timer batchTime;
  private final Timer lag;
  private final Map<Failures.Kind, Counter> failures = new EnumMap<>(Failures.Kind.class);
  private final String name;
  private final int maxRetries;
  private final long retryBackoffMs;
  private final long unknownWaitMs;
  private final Map<String, Long> notYetSince = new HashMap<>();

  /** In the batch being handled: per partition, the offset of the last record done with. */
  private final Map<TopicPartition, Long> done = new HashMap<>();

  /** In the batch being handled: per partition, the offset of a record that must wait. */
  private final Map<TopicPartition, Long> waiting = new HashMap<>();

  private long backoffMs;
  private int failing;
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
  private Future<Void> inHand = Future.succeededFuture();

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
   * @param known every type of the published language, handled here or not (empty: not checked): a
   *     record of a type outside it is counted, logged once and passed over ({@link TypeFilter})
   */
  public IdempotentConsumer(
      Vertx vertx,
      Pool pool,
      Settings settings,
      String schema,
      String group,
      Set<String> topics,
      Set<String> types,
      Set<String> known,
      Handler handler) {
    this.vertx = vertx;
    this.pool = pool;
    this.dlqProducer = KafkaClients.sharedProducer(vertx, settings);
    this.topics = topics;
    this.types = new TypeFilter(group, types, known);
    this.handler = handler;
    this.catchUp = CatchUp.of(vertx);
    this.name = group;
    this.maxRetries = settings.integer("consumer.max-retries");
    this.retryBackoffMs = settings.integer("consumer.retry-backoff-ms");
    this.backoffMs = retryBackoffMs;
    this.unknownWaitMs = settings.integer("consumer.unknown-wait-ms");
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
    for (Failures.Kind kind : Failures.Kind.values()) {
      failures.put(
          kind,
          Counter.builder("baedal.consumer.failures")
              .description("handling attempts that failed, by kind: weather, not yet known, poison")
              .tag("group", group)
              .tag("kind", kind.name().toLowerCase(Locale.ROOT))
              .register(Meters.registry()));
    }
    this.consumer.partitionsAssignedHandler(partitions -> assigned = true);
    this.consumer.partitionsRevokedHandler(
        partitions -> {
          assigned = false;
          // what was handled is committed before another member takes the partitions over, so
          // it has as little as possible to find in its inbox again (on stop, it already was)
          if (!stopped) {
            commitHandled();
          }
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
    // the batch in hand finishes first: the consumer is used by one task at a time
    return inHand.transform(ar -> commitHandled()).eventually(consumer::close);
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
    inHand = consumer.poll(POLL).compose(this::handleAll);
    inHand.onComplete(
        ar -> {
          if (ar.failed() && !stopped) {
            // the batch was rewound: it comes again after the back-off, for as long as the
            // failure lasts; nothing past it is committed meanwhile
            long wait = backoffMs;
            backoffMs = Math.min(MAX_BACKOFF_MS, Math.max(retryBackoffMs, backoffMs * 2));
            if (failing++ == 0 || failing % 20 == 0) {
              log.warn(
                  "consumer {}: a batch failed ({} times in a row), again in {} ms: {}",
                  name,
                  failing,
                  wait,
                  ar.cause().toString());
            }
            vertx.setTimer(Math.max(1, wait), id -> pollLoop());
          } else {
            if (failing > 0) {
              log.info("consumer {}: handling again after {} failed batches", name, failing);
            }
            failing = 0;
            backoffMs = retryBackoffMs;
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
    waiting.clear();
    done.clear();
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
                TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                Long waitsAt = waiting.get(tp);
                if (waitsAt != null && r.offset() >= waitsAt) {
                  continue;
                }
                handled.put(tp, r.offset() + 1);
                // the broker's timestamp of the record: when the relay sent it
                lag.record(Math.max(0, now - r.timestamp()), TimeUnit.MILLISECONDS);
              }
              uncommitted = true;
              batchTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
              commitIfDue();
            })
        .compose(v -> pauseWaiting())
        .recover(err -> rewind(records).transform(ignored -> Future.failedFuture(err)));
  }

  /**
   * Each partition with a record that must wait goes back to that record and pauses for a while;
   * the records after it in that partition come again with it, in their order.
   */
  private Future<Void> pauseWaiting() {
    if (waiting.isEmpty()) {
      return Future.succeededFuture();
    }
    Map<TopicPartition, Long> paused = new HashMap<>(waiting);
    waiting.clear();
    List<Future<Void>> seeks = new ArrayList<>();
    paused.forEach((tp, offset) -> seeks.add(consumer.seek(tp, offset)));
    return Future.all(seeks)
        .compose(v -> consumer.pause(paused.keySet()))
        .onSuccess(
            v ->
                vertx.setTimer(
                    UNKNOWN_RETRY_MS,
                    id -> {
                      if (!stopped) {
                        consumer.resume(paused.keySet());
                      }
                    }))
        // a partition revoked meanwhile: its new owner starts from the last commit, which is
        // before the waiting record
        .otherwiseEmpty();
  }

  private boolean waits(KafkaConsumerRecord<String, String> record) {
    return waiting.containsKey(new TopicPartition(record.topic(), record.partition()));
  }

  /**
   * After a batch failed: every partition goes back to its first record in the batch not done with,
   * so the next poll brings it again (and what follows it), and no commit ever moves past a record
   * that was not handled. What was done with (handled, or dead-lettered) counts as handled.
   */
  private Future<Void> rewind(KafkaConsumerRecords<String, String> records) {
    Map<TopicPartition, Long> first = new HashMap<>();
    for (int i = 0; i < records.size(); i++) {
      KafkaConsumerRecord<String, String> r = records.recordAt(i);
      first.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::min);
    }
    done.forEach(
        (tp, offset) -> {
          first.put(tp, offset + 1);
          handled.put(tp, offset + 1);
          uncommitted = true;
        });
    List<Future<Void>> seeks = new ArrayList<>();
    first.forEach((tp, offset) -> seeks.add(consumer.seek(tp, offset)));
    return Future.join(seeks).mapEmpty();
  }

  private void doneWith(KafkaConsumerRecord<String, String> record) {
    done.merge(new TopicPartition(record.topic(), record.partition()), record.offset(), Math::max);
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

  /**
   * Whether the record is of a type this consumer handles (a record without a type header is let
   * through: its type is checked once it is parsed).
   */
  private boolean wanted(KafkaConsumerRecord<String, String> record) {
    if (types.all()) {
      return true;
    }
    String type = EventHeaders.type(record);
    return type == null || types.handles(type);
  }

  /**
   * Handles a chunk of records in one transaction, which is much cheaper than one each. If any
   * record does not parse or the transaction fails, the chunk is handled again record by record,
   * with the retries and the dead-letter queue of {@link #handleOne}; the rolled-back transaction
   * left nothing behind, and the inbox skips whatever is done twice.
   */
  private Future<Void> handleChunk(List<KafkaConsumerRecord<String, String>> all) {
    List<KafkaConsumerRecord<String, String>> chunk =
        waiting.isEmpty() ? all : all.stream().filter(r -> !waits(r)).toList();
    List<CloudEvent> events = new ArrayList<>(chunk.size());
    for (KafkaConsumerRecord<String, String> r : chunk) {
      try {
        events.add(CloudEvent.parse(r.value()));
      } catch (IllegalArgumentException e) {
        return oneByOne(chunk);
      }
    }
    if (!types.all()) {
      // records without a type header: only now, parsed, is their type known
      List<KafkaConsumerRecord<String, String>> keptRecords = new ArrayList<>(chunk.size());
      List<CloudEvent> kept = new ArrayList<>(events.size());
      for (int i = 0; i < events.size(); i++) {
        if (types.handles(events.get(i).type())) {
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
    if (chunk.isEmpty()) {
      return Future.succeededFuture();
    }
    if (chunk.size() == 1) {
      return attempt(chunk.get(0), events.get(0), 0)
          .onSuccess(v -> doneWith(chunk.get(0)))
          .recover(err -> waitOrFail(chunk.get(0), err));
    }
    return AfterCommit.<Void>transaction(pool, tx -> handleAllIn(tx, chunk, events))
        .onSuccess(
            v -> {
              chunk.forEach(this::doneWith);
              catchUp.applied(events.stream().map(CloudEvent::subject).toList());
            })
        .recover(
            err -> {
              Failures.Kind kind = Failures.of(err);
              failures.get(kind).increment();
              if (stopped || kind == Failures.Kind.TRANSIENT) {
                return Future.failedFuture(err);
              }
              if (kind == Failures.Kind.NOT_YET) {
                // one record is early: the others go on without it
                return oneByOne(chunk);
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
      chain =
          chain.compose(
              v ->
                  waits(r)
                      ? Future.succeededFuture()
                      : handleOne(r)
                          .onSuccess(ok -> doneWith(r))
                          .recover(err -> waitOrFail(r, err)));
    }
    return chain;
  }

  /** A record that must wait pauses its partition (see {@link #pauseWaiting}); others fail on. */
  private Future<Void> waitOrFail(KafkaConsumerRecord<String, String> record, Throwable err) {
    if (err instanceof Waiting) {
      waiting.put(new TopicPartition(record.topic(), record.partition()), record.offset());
      return Future.succeededFuture();
    }
    return Future.failedFuture(err);
  }

  /** The record is about something not known yet, and has not waited its full time yet. */
  private static final class Waiting extends RuntimeException {
    Waiting(Throwable cause) {
      super(cause.getMessage(), cause, false, false);
    }
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
    if (!types.handles(event.type())) {
      return Future.succeededFuture();
    }
    return attempt(record, event, 0);
  }

  private Future<Void> attempt(
      KafkaConsumerRecord<String, String> record, CloudEvent event, int n) {
    return AfterCommit.<Void>transaction(pool, tx -> handleIn(tx, record.topic(), event))
        .onSuccess(
            v -> {
              forget(record);
              catchUp.applied(List.of(event.subject()));
            })
        .recover(
            err -> {
              if (stopped) {
                return Future.failedFuture(err);
              }
              Failures.Kind kind = Failures.of(err);
              failures.get(kind).increment();
              switch (kind) {
                case TRANSIENT:
                  // the batch fails: it is polled again, from this record, after a back-off
                  return Future.failedFuture(err);
                case NOT_YET:
                  if (waitedFor(record) < unknownWaitMs) {
                    return Future.failedFuture(new Waiting(err));
                  }
                  forget(record);
                  return deadLetter(
                      record,
                      "still not known after " + unknownWaitMs + " ms: " + err.getMessage());
                default:
                  break;
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

  /** How long this record has been failing as not known yet (since its first such failure). */
  private long waitedFor(KafkaConsumerRecord<String, String> record) {
    String key = waitKey(record);
    long now = System.currentTimeMillis();
    if (notYetSince.size() > 10_000) {
      notYetSince.clear();
    }
    return now - notYetSince.computeIfAbsent(key, k -> now);
  }

  private void forget(KafkaConsumerRecord<String, String> record) {
    if (!notYetSince.isEmpty()) {
      notYetSince.remove(waitKey(record));
    }
  }

  private static String waitKey(KafkaConsumerRecord<String, String> record) {
    return record.topic() + "/" + record.partition() + "@" + record.offset();
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
            // its own headers (the event type) too, for a redrive to put it back as it was
            .addHeaders(record.headers())
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
