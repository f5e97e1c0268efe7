package dev.baedal.platform.kafka;

import dev.baedal.platform.consistency.CatchUp;
import dev.baedal.platform.consistency.Failures;
import dev.baedal.platform.db.AfterCommit;
import dev.baedal.platform.events.CloudEvent;
import dev.baedal.platform.metrics.Meters;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles one polled batch for an {@link IdempotentConsumer}: its records of the wanted types, in
 * chunks of one transaction each; a chunk that fails is handled again record by record, where
 * weather fails the batch (it is rewound), an event about something not known yet makes its
 * partition wait ({@link PartitionWaits}), and poison goes to the dead-letter queue after a few
 * retries ({@link DeadLetterSender}). A batch not done within {@code consumer.batch-timeout-ms}
 * fails as weather too. What was handled is passed to {@link OffsetCommits}.
 */
final class BatchHandler {
  private static final Logger log = LoggerFactory.getLogger(IdempotentConsumer.class);

  /** Records handled in one transaction at most. */
  private static final int BATCH = 100;

  private final Pool pool;
  private final String name;
  private final TypeFilter types;
  private final Inbox inbox;
  private final PartitionWaits waits;
  private final OffsetCommits commits;
  private final RecordAttempts attempts;
  private final BooleanSupplier stopped;
  private final CatchUp catchUp;
  private final Timer batchTime;
  private final Timer lag;
  private final long timeoutMs;

  /**
   * Since when the oldest record polled and not yet handled has waited for this consumer (its
   * broker timestamp, or when the consumer started if that is later), 0 when none.
   */
  private volatile long pendingSinceMs;

  private long startedMs;

  BatchHandler(
      Vertx vertx,
      Pool pool,
      String name,
      TypeFilter types,
      Inbox inbox,
      PartitionWaits waits,
      OffsetCommits commits,
      RecordAttempts attempts,
      long timeoutMs,
      BooleanSupplier stopped) {
    this.pool = pool;
    this.timeoutMs = timeoutMs;
    this.name = name;
    this.types = types;
    this.inbox = inbox;
    this.waits = waits;
    this.commits = commits;
    this.attempts = attempts;
    this.stopped = stopped;
    this.catchUp = CatchUp.of(vertx);
    this.batchTime =
        timer(
            "baedal.consumer.batch",
            "time to handle one polled batch of records and commit its offsets");
    this.lag =
        timer(
            "baedal.consumer.lag",
            "from a record's broker timestamp to its offset being committed");
  }

  private Timer timer(String meter, String description) {
    return Timer.builder(meter)
        .description(description)
        .tag("group", name)
        .publishPercentiles(0.5, 0.99)
        .register(Meters.registry());
  }

  /** The consumer started: older records count as waiting since now. */
  void started() {
    startedMs = System.currentTimeMillis();
  }

  /** How long the oldest record polled but not yet handled has waited, 0 when none. */
  long behindMs() {
    long since = pendingSinceMs;
    return since == 0 ? 0 : Math.max(0, System.currentTimeMillis() - since);
  }

  /** Handles the batch; if it fails, it was rewound, to be polled again. */
  Future<Void> handle(KafkaConsumerRecords<String, String> records) {
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
    waits.clear();
    boolean[] givenUp = {false};
    Future<Void> chain = Future.succeededFuture();
    for (int from = 0; from < wanted.size(); from += BATCH) {
      List<KafkaConsumerRecord<String, String>> chunk =
          wanted.subList(from, Math.min(wanted.size(), from + BATCH));
      chain =
          chain.compose(
              v -> givenUp[0] ? Future.failedFuture("batch given up") : handleChunk(chunk));
    }
    // a batch whose work never finishes (a reply the SQL client lost) would hold the consumer for
    // ever; after consumer.batch-timeout-ms it fails like weather and is polled again, and a chunk
    // of it that was only slow does not start the next one
    return chain
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .onFailure(err -> givenUp[0] = true)
        .onSuccess(v -> handled(records, started))
        .compose(v -> waits.pause())
        .recover(err -> waits.rewind(records).transform(ignored -> Future.failedFuture(err)));
  }

  /** The batch went through: its records up to those that wait are handled. */
  private void handled(KafkaConsumerRecords<String, String> records, long started) {
    pendingSinceMs = 0;
    long now = System.currentTimeMillis();
    for (int i = 0; i < records.size(); i++) {
      KafkaConsumerRecord<String, String> r = records.recordAt(i);
      TopicPartition tp = new TopicPartition(r.topic(), r.partition());
      Long waitsAt = waits.waitingAt(tp);
      if (waitsAt != null && r.offset() >= waitsAt) {
        continue;
      }
      commits.handled(tp, r.offset() + 1);
      // the broker's timestamp of the record: when the relay sent it
      lag.record(Math.max(0, now - r.timestamp()), TimeUnit.MILLISECONDS);
    }
    commits.changed();
    batchTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    commits.commitIfDue();
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
   * with the retries and the dead-letter queue of {@link RecordAttempts}; the rolled-back
   * transaction left nothing behind, and the inbox skips whatever is done twice.
   */
  private Future<Void> handleChunk(List<KafkaConsumerRecord<String, String>> all) {
    List<KafkaConsumerRecord<String, String>> chunk =
        waits.none() ? all : all.stream().filter(r -> !waits.waits(r)).toList();
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
      return attempts
          .attempt(chunk.get(0), events.get(0), 0)
          .onSuccess(v -> waits.doneWith(chunk.get(0)))
          .recover(err -> waits.waitOrFail(chunk.get(0), err));
    }
    return AfterCommit.<Void>transaction(pool, tx -> inbox.handleAll(tx, chunk, events))
        .onSuccess(
            v -> {
              chunk.forEach(waits::doneWith);
              catchUp.applied(events.stream().map(CloudEvent::subject).toList());
            })
        .recover(
            err -> {
              Failures.Kind kind = attempts.count(err);
              if (stopped.getAsBoolean() || kind == Failures.Kind.TRANSIENT) {
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

  private Future<Void> oneByOne(List<KafkaConsumerRecord<String, String>> chunk) {
    Future<Void> chain = Future.succeededFuture();
    for (KafkaConsumerRecord<String, String> r : chunk) {
      chain =
          chain.compose(
              v ->
                  waits.waits(r)
                      ? Future.succeededFuture()
                      : attempts
                          .handleOne(r)
                          .onSuccess(ok -> waits.doneWith(r))
                          .recover(err -> waits.waitOrFail(r, err)));
    }
    return chain;
  }
}
