package dev.baedal.platform.kafka;

import dev.baedal.platform.Topics;
import io.vertx.core.Future;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a record an {@link IdempotentConsumer} gave up on to {@code <topic>.dlq}, with its own
 * headers and the reason, where it came from and the consumer group.
 */
final class DeadLetterSender {
  private static final Logger log = LoggerFactory.getLogger(IdempotentConsumer.class);

  private final KafkaProducer<String, String> producer;
  private final String name;

  DeadLetterSender(KafkaProducer<String, String> producer, String name) {
    this.producer = producer;
    this.name = name;
  }

  /** Fails if the send fails: then the batch is rewound and the record comes again. */
  Future<Void> send(KafkaConsumerRecord<String, String> record, String reason) {
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
    return producer.send(out).mapEmpty();
  }
}
