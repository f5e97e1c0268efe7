package dev.baedal.platform.kafka;

import dev.baedal.platform.Settings;
import dev.baedal.platform.Topics;
import dev.baedal.platform.events.CloudEvent;
import dev.baedal.platform.metrics.Meters;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes CloudEvents from Kafka and hands each to a handler inside a PostgreSQL transaction that
 * also records the event id in the context's inbox: a redelivered event finds its id there and
 * changes nothing. Offsets are committed only after the transactions of the polled records
 * committed. A record that does not parse goes straight to {@code <topic>.dlq}; one whose handler
 * keeps failing goes there after {@code consumer.max-retries} retries; either way consumption
 * carries on with the next record.
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
  private final Handler handler;
  private final String markHandled;
  private final String markAllHandled;
  private final Timer batchTime;
  private final Timer lag;
  private final String name;
  private final int maxRetries;
  private final long retryBackoffMs;
  private final KafkaConsumer<String, String> consumer;
  private volatile boolean assigned;
  private boolean stopped;

  /**
   * @param schema the context's schema (holds the inbox)
   * @param group the consumer group (prefixed with {@code kafka.group-prefix}), one per context and
   *     purpose, e.g. {@code order-catalog}
   */
  public IdempotentConsumer(
      Vertx vertx,
      Pool pool,
      Settings settings,
      String schema,
      String group,
      Set<String> topics,
      Handler handler) {
    this.vertx = vertx;
    this.pool = pool;
    this.dlqProducer = KafkaClients.sharedProducer(vertx, settings);
    this.topics = topics;
    this.handler = handler;
    this.name = group;
    this.maxRetries = settings.integer("consumer.max-retries");
    this.retryBackoffMs = settings.integer("consumer.retry-backoff-ms");
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
    this.consumer.partitionsRevokedHandler(partitions -> assigned = false);
  }

  /** Subscribes; the returned future completes once the subscription exists. */
  public Future<Void> start() {
    return consumer.subscribe(topics).onSuccess(v -> pollLoop());
  }

  public Future<Void> stop() {
    stopped = true;
    return consumer.close();
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
    Future<Void> chain = Future.succeededFuture();
    for (int from = 0; from < records.size(); from += BATCH) {
      List<KafkaConsumerRecord<String, String>> chunk = new ArrayList<>();
      for (int i = from; i < Math.min(records.size(), from + BATCH); i++) {
        chunk.add(records.recordAt(i));
      }
      chain = chain.compose(v -> handleChunk(chunk));
    }
    return chain
        .compose(v -> consumer.commit())
        .onSuccess(
            v -> {
              batchTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
              long now = System.currentTimeMillis();
              for (int i = 0; i < records.size(); i++) {
                // the broker's timestamp of the record: when the relay sent it
                lag.record(
                    Math.max(0, now - records.recordAt(i).timestamp()), TimeUnit.MILLISECONDS);
              }
            });
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
    if (chunk.size() == 1) {
      return attempt(chunk.get(0), events.get(0), 0);
    }
    List<String> ids = new ArrayList<>(chunk.size());
    List<String> topicsOf = new ArrayList<>(chunk.size());
    for (int i = 0; i < chunk.size(); i++) {
      ids.add(events.get(i).id());
      topicsOf.add(chunk.get(i).topic());
    }
    return pool.<Void>withTransaction(
            tx ->
                tx.preparedQuery(markAllHandled)
                    .execute(Tuple.of(ids.toArray(new String[0]), topicsOf.toArray(new String[0])))
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
                          return todo.isEmpty()
                              ? Future.<Void>succeededFuture()
                              : handler.handleAll(tx, todo);
                        }))
        .recover(err -> stopped ? Future.failedFuture(err) : oneByOne(chunk));
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
    return attempt(record, event, 0);
  }

  private Future<Void> attempt(
      KafkaConsumerRecord<String, String> record, CloudEvent event, int n) {
    return pool.<Void>withTransaction(tx -> handleIn(tx, record.topic(), event))
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
