package dev.baedal.platform.kafka;

import dev.baedal.platform.Settings;
import dev.baedal.platform.consistency.CatchUp;
import dev.baedal.platform.consistency.Failures;
import dev.baedal.platform.db.AfterCommit;
import dev.baedal.platform.events.CloudEvent;
import dev.baedal.platform.metrics.Meters;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.sqlclient.Pool;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles one record for an {@link IdempotentConsumer}, in a transaction of its own, and tells
 * weather from poison when it fails ({@link Failures}): weather fails the batch (it is rewound and
 * polled again), an event about something not known yet makes its partition wait ({@link
 * PartitionWaits}) for up to {@code consumer.unknown-wait-ms}, and anything else is retried {@code
 * consumer.max-retries} times before the record goes to the dead-letter queue.
 */
final class RecordAttempts {
  private static final Logger log = LoggerFactory.getLogger(IdempotentConsumer.class);

  private final Vertx vertx;
  private final Pool pool;
  private final String name;
  private final TypeFilter types;
  private final Inbox inbox;
  private final PartitionWaits waits;
  private final DeadLetterSender deadLetters;
  private final BooleanSupplier stopped;
  private final CatchUp catchUp;
  private final int maxRetries;
  private final long retryBackoffMs;
  private final long unknownWaitMs;
  private final Map<Failures.Kind, Counter> failures = new EnumMap<>(Failures.Kind.class);

  RecordAttempts(
      Vertx vertx,
      Pool pool,
      Settings settings,
      String name,
      TypeFilter types,
      Inbox inbox,
      PartitionWaits waits,
      DeadLetterSender deadLetters,
      BooleanSupplier stopped) {
    this.vertx = vertx;
    this.pool = pool;
    this.name = name;
    this.types = types;
    this.inbox = inbox;
    this.waits = waits;
    this.deadLetters = deadLetters;
    this.stopped = stopped;
    this.catchUp = CatchUp.of(vertx);
    this.maxRetries = settings.integer("consumer.max-retries");
    this.retryBackoffMs = settings.integer("consumer.retry-backoff-ms");
    this.unknownWaitMs = settings.integer("consumer.unknown-wait-ms");
    for (Failures.Kind kind : Failures.Kind.values()) {
      failures.put(
          kind,
          Counter.builder("baedal.consumer.failures")
              .description("handling attempts that failed, by kind: weather, not yet known, poison")
              .tag("group", name)
              .tag("kind", kind.name().toLowerCase(Locale.ROOT))
              .register(Meters.registry()));
    }
  }

  /** Counts a failed handling attempt by its kind, and returns the kind. */
  Failures.Kind count(Throwable err) {
    Failures.Kind kind = Failures.of(err);
    failures.get(kind).increment();
    return kind;
  }

  Future<Void> handleOne(KafkaConsumerRecord<String, String> record) {
    CloudEvent event;
    try {
      event = CloudEvent.parse(record.value());
    } catch (IllegalArgumentException e) {
      return deadLetters.send(record, "unparseable event: " + e.getMessage());
    }
    if (!types.handles(event.type())) {
      return Future.succeededFuture();
    }
    return attempt(record, event, 0);
  }

  /** The {@code n}th attempt at one event, in a transaction of its own. */
  Future<Void> attempt(KafkaConsumerRecord<String, String> record, CloudEvent event, int n) {
    return AfterCommit.<Void>transaction(pool, tx -> inbox.handle(tx, record.topic(), event))
        .onSuccess(
            v -> {
              waits.forget(record);
              catchUp.applied(List.of(event.subject()));
            })
        .recover(err -> failed(record, event, n, err));
  }

  /** After an attempt failed: fails the batch, waits, retries or dead-letters, by the failure. */
  private Future<Void> failed(
      KafkaConsumerRecord<String, String> record, CloudEvent event, int n, Throwable err) {
    if (stopped.getAsBoolean()) {
      return Future.failedFuture(err);
    }
    Failures.Kind kind = count(err);
    switch (kind) {
      case TRANSIENT:
        // the batch fails: it is polled again, from this record, after a back-off
        return Future.failedFuture(err);
      case NOT_YET:
        if (waits.waitedFor(record) < unknownWaitMs) {
          return Future.failedFuture(new PartitionWaits.Waiting(err));
        }
        waits.forget(record);
        return deadLetters.send(
            record, "still not known after " + unknownWaitMs + " ms: " + err.getMessage());
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
    return deadLetters.send(record, "handler failed after " + (n + 1) + " attempts: " + err);
  }

  private Future<Void> delay(long ms) {
    Promise<Void> p = Promise.promise();
    vertx.setTimer(Math.max(1, ms), id -> p.complete());
    return p.future();
  }
}
