package dev.baedal.platform.kafka;

import io.vertx.core.Future;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The offsets an {@link IdempotentConsumer} may commit: per partition, the offset after the last
 * record handled (or dead-lettered). They are committed at most every {@code
 * consumer.commit-interval-ms}: each commit is a write on the broker, and the inbox makes a record
 * handled again after a crash harmless.
 */
final class OffsetCommits {
  private static final Logger log = LoggerFactory.getLogger(IdempotentConsumer.class);

  private final KafkaConsumer<String, String> consumer;
  private final String name;
  private final long intervalMs;

  /** Per partition, the offset after the last record handled: what the next commit commits. */
  private final Map<TopicPartition, Long> handled = new HashMap<>();

  private boolean uncommitted;
  private long lastCommit;

  OffsetCommits(KafkaConsumer<String, String> consumer, String name, long intervalMs) {
    this.consumer = consumer;
    this.name = name;
    this.intervalMs = intervalMs;
  }

  /** The partition is handled up to {@code next} (exclusive). */
  void handled(TopicPartition tp, long next) {
    handled.put(tp, next);
  }

  /** Something changed since the last commit. */
  void changed() {
    uncommitted = true;
  }

  /** The partitions went to another member: their offsets are no longer this consumer's. */
  void forget(Set<TopicPartition> partitions) {
    partitions.forEach(handled::remove);
  }

  void commitIfDue() {
    if (uncommitted && System.currentTimeMillis() - lastCommit >= intervalMs) {
      commit();
    }
  }

  Future<Void> commit() {
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
}
