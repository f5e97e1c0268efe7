package dev.baedal.platform.kafka;

import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaHeader;

/** The Kafka record headers Baedal sets besides the CloudEvents envelope in the value. */
public final class EventHeaders {
  /** The event's type, as the CloudEvents Kafka binding names it. */
  public static final String TYPE = "ce_type";

  private EventHeaders() {}

  /** The record's event type from its header, or null when it has none (then parse the value). */
  public static String type(KafkaConsumerRecord<?, ?> record) {
    for (KafkaHeader h : record.headers()) {
      if (TYPE.equals(h.key())) {
        return h.value().toString();
      }
    }
    return null;
  }
}
