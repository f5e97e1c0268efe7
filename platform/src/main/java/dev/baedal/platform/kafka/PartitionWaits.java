package dev.baedal.platform.kafka;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Where each partition of the batch in hand stands for an {@link IdempotentConsumer}: the records
 * done with, and the record (about something not known yet) the partition must wait at. A waiting
 * partition is sought back to that record and paused for a while, the others go on; after a failed
 * batch, every partition is rewound to its first record not done with.
 */
final class PartitionWaits {
  /** How long a partition pauses at a record about something not known yet, between tries. */
  private static final long UNKNOWN_RETRY_MS = 250;

  private final Vertx vertx;
  private final KafkaConsumer<String, String> consumer;
  private final OffsetCommits commits;
  private final BooleanSupplier stopped;

  /** Per record that failed as not known yet (see {@link #waitKey}), since when. */
  private final Map<String, Long> notYetSince = new HashMap<>();

  /** In the batch being handled: per partition, the offset of the last record done with. */
  private final Map<TopicPartition, Long> done = new HashMap<>();

  /** In the batch being handled: per partition, the offset of a record that must wait. */
  private final Map<TopicPartition, Long> waiting = new HashMap<>();

  PartitionWaits(
      Vertx vertx,
      KafkaConsumer<String, String> consumer,
      OffsetCommits commits,
      BooleanSupplier stopped) {
    this.vertx = vertx;
    this.consumer = consumer;
    this.commits = commits;
    this.stopped = stopped;
  }

  /** The record is about something not known yet, and has not waited its full time yet. */
  static final class Waiting extends RuntimeException {
    Waiting(Throwable cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }

  /** A new batch begins. */
  void clear() {
    waiting.clear();
    done.clear();
  }

  boolean none() {
    return waiting.isEmpty();
  }

  /** Whether the record's partition waits (at this record or an earlier one). */
  boolean waits(KafkaConsumerRecord<String, String> record) {
    return waiting.containsKey(partition(record));
  }

  /** The offset the partition waits at, null if it does not. */
  Long waitingAt(TopicPartition tp) {
    return waiting.get(tp);
  }

  void doneWith(KafkaConsumerRecord<String, String> record) {
    done.merge(partition(record), record.offset(), Math::max);
  }

  /** A record that must wait pauses its partition (see {@link #pause}); others fail on. */
  Future<Void> waitOrFail(KafkaConsumerRecord<String, String> record, Throwable err) {
    if (err instanceof Waiting) {
      waiting.put(partition(record), record.offset());
      return Future.succeededFuture();
    }
    return Future.failedFuture(err);
  }

  /** How long this record has been failing as not known yet (since its first such failure). */
  long waitedFor(KafkaConsumerRecord<String, String> record) {
    String key = waitKey(record);
    long now = System.currentTimeMillis();
    if (notYetSince.size() > 10_000) {
      notYetSince.clear();
    }
    return now - notYetSince.computeIfAbsent(key, k -> now);
  }

  /** The record no longer waits: it was handled or given up on. */
  void forget(KafkaConsumerRecord<String, String> record) {
    if (!notYetSince.isEmpty()) {
      notYetSince.remove(waitKey(record));
    }
  }

  private static String waitKey(KafkaConsumerRecord<String, String> record) {
    return record.topic() + "/" + record.partition() + "@" + record.offset();
  }

  private static TopicPartition partition(KafkaConsumerRecord<String, String> record) {
    return new TopicPartition(record.topic(), record.partition());
  }

  /**
   * Each partition with a record that must wait goes back to that record and pauses for a while;
   * the records after it in that partition come again with it, in their order.
   */
  Future<Void> pause() {
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
                      if (!stopped.getAsBoolean()) {
                        consumer.resume(paused.keySet());
                      }
                    }))
        // a partition revoked meanwhile: its new owner starts from the last commit, which is
        // before the waiting record
        .otherwiseEmpty();
  }

  /**
   * After a batch failed: every partition goes back to its first record in the batch not done with,
   * so the next poll brings it again (and what follows it), and no commit ever moves past a record
   * that was not handled. What was done with (handled, or dead-lettered) counts as handled.
   */
  Future<Void> rewind(KafkaConsumerRecords<String, String> records) {
    Map<TopicPartition, Long> first = new HashMap<>();
    for (int i = 0; i < records.size(); i++) {
      KafkaConsumerRecord<String, String> r = records.recordAt(i);
      first.merge(partition(r), r.offset(), Math::min);
    }
    done.forEach(
        (tp, offset) -> {
          first.put(tp, offset + 1);
          commits.handled(tp, offset + 1);
          commits.changed();
        });
    List<Future<Void>> seeks = new ArrayList<>();
    first.forEach((tp, offset) -> seeks.add(consumer.seek(tp, offset)));
    return Future.join(seeks).mapEmpty();
  }
}
