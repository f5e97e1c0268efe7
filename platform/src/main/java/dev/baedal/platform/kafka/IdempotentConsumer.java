package dev.baedal.platform.kafka;

import dev.baedal.platform.Settings;
import dev.baedal.platform.consistency.Backlog;
import dev.baedal.platform.consistency.CatchUp;
import dev.baedal.platform.consistency.Failures;
import dev.baedal.platform.events.CloudEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.util.List;
import java.util.Set;
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
 *   <li>weather (PostgreSQL or Kafka unreachable, a timeout, a deadlock, a batch not done within
 *       {@code consumer.batch-timeout-ms}): the batch is rewound and polled again after a capped
 *       back-off, for as long as it lasts; nothing past it is committed and nothing is
 *       dead-lettered;
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
 *
 * <p>This class is the poll loop and the lifecycle; a polled batch is handled by {@link
 * BatchHandler} (one record at a time by {@link RecordAttempts}, in the {@link Inbox}), partitions
 * wait and rewind in {@link PartitionWaits}, poison is sent on by {@link DeadLetterSender}, and
 * offsets are committed by {@link OffsetCommits}.
 */
public final class IdempotentConsumer {
  private static final Logger log = LoggerFactory.getLogger(IdempotentConsumer.class);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final long MAX_BACKOFF_MS = 10_000;

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
  private final TypeFilter filter;
  private final EarlyEvents early;
  private final Set<String> topics;
  private final String name;
  private final long retryBackoffMs;
  private final long commitIntervalMs;
  private final KafkaConsumer<String, String> consumer;
  private final OffsetCommits commits;
  private final BatchHandler batches;
  private long backoffMs;
  private int failing;
  private long commitTimer = -1;
  private volatile boolean assigned;
  private boolean stopped;
  private Future<Void> inHand = Future.succeededFuture();

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
    this.topics = topics;
    this.name = group;
    this.retryBackoffMs = settings.integer("consumer.retry-backoff-ms");
    this.backoffMs = retryBackoffMs;
    this.commitIntervalMs = settings.integer("consumer.commit-interval-ms");
    DeadLetterSender deadLetters =
        new DeadLetterSender(KafkaClients.sharedProducer(vertx, settings), group);
    this.filter = new TypeFilter(group, types, known);
    this.consumer = KafkaConsumer.create(vertx, KafkaClients.consumerConfig(settings, group));
    this.commits = new OffsetCommits(consumer, group, commitIntervalMs);
    PartitionWaits waits = new PartitionWaits(vertx, consumer, commits, () -> stopped);
    Inbox inbox = new Inbox(schema, handler);
    this.early = new EarlyEvents(pool, inbox, CatchUp.of(vertx));
    RecordAttempts attempts =
        new RecordAttempts(
            vertx, pool, settings, group, filter, inbox, waits, deadLetters, () -> stopped);
    this.batches =
        new BatchHandler(
            vertx,
            pool,
            group,
            filter,
            inbox,
            waits,
            commits,
            attempts,
            settings.integer("consumer.batch-timeout-ms"),
            () -> stopped);
    this.consumer.partitionsAssignedHandler(partitions -> assigned = true);
    this.consumer.partitionsRevokedHandler(
        partitions -> {
          assigned = false;
          // what was handled is committed before another member takes the partitions over, so
          // it has as little as possible to find in its inbox again (on stop, it already was)
          if (!stopped) {
            commits.commit();
          }
          commits.forget(partitions);
        });
  }

  /** Subscribes; the returned future completes once the subscription exists. */
  public Future<Void> start() {
    batches.started();
    Backlog.of(vertx).register(Backlog.CONSUMER + name, this::behindMs);
    commitTimer = vertx.setPeriodic(commitIntervalMs, id -> commits.commitIfDue());
    return consumer.subscribe(topics).onSuccess(v -> pollLoop());
  }

  public Future<Void> stop() {
    stopped = true;
    vertx.cancelTimer(commitTimer);
    Backlog.of(vertx).unregister(Backlog.CONSUMER + name);
    // the batch in hand finishes first: the consumer is used by one task at a time
    return inHand.transform(ar -> commits.commit()).eventually(consumer::close);
  }

  /**
   * Handles {@code event}, committed for {@code topic} but not read from it yet, at once, through
   * the inbox, as its record will be (which then finds it handled); early events that arrive
   * together share a transaction ({@link EarlyEvents}). Only for an event that is the first of its
   * subject this consumer can see, such as {@code order.placed}: nothing about that subject can
   * have been due before it, so handling it early keeps each subject's events in their order. Best
   * effort: when it fails, the record does the work.
   */
  public Future<Void> handleEarly(String topic, CloudEvent event) {
    if (stopped || !filter.handles(event.type())) {
      return Future.succeededFuture();
    }
    return early.add(topic, event);
  }

  /** The consumer group, without {@code kafka.group-prefix}. */
  public String group() {
    return name;
  }

  /** How long the oldest record polled but not yet handled has waited, 0 when none. */
  public long behindMs() {
    return batches.behindMs();
  }

  /** True once the group gave this consumer its partitions (for readiness). */
  public boolean isAssigned() {
    return assigned;
  }

  private void pollLoop() {
    if (stopped) {
      return;
    }
    inHand = consumer.poll(POLL).compose(batches::handle);
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
}
