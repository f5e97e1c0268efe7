package dev.baedal.platform.kafka;

import dev.baedal.platform.Addresses;
import dev.baedal.platform.Settings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Republishes the records of chosen topics on the event bus ({@link Addresses#live(String)}) for
 * live subscribers such as WebSocket sessions. Each process gets its own consumer group starting at
 * the end of the topics: live subscribers want what happens from now on, and the durable history
 * stays in Kafka. The record key (order id) travels as the {@code key} header. The records go to
 * this process's subscribers only, since every process reads them all.
 */
public final class EventBusBridge {
  private final Vertx vertx;
  private final KafkaConsumer<String, String> consumer;
  private final Set<String> topics;
  private volatile boolean assigned;

  public EventBusBridge(Vertx vertx, Settings settings, Set<String> topics) {
    this.vertx = vertx;
    this.topics = topics;
    Map<String, String> config =
        KafkaClients.consumerConfig(settings, "bridge-" + UUID.randomUUID());
    config.put("auto.offset.reset", "latest");
    config.put("enable.auto.commit", "true");
    this.consumer = KafkaConsumer.create(vertx, config);
    this.consumer.partitionsAssignedHandler(p -> assigned = true);
  }

  public Future<Void> start() {
    consumer.handler(
        record ->
            vertx
                .eventBus()
                .publish(
                    Addresses.live(record.topic()),
                    record.value(),
                    new DeliveryOptions()
                        .addHeader("key", String.valueOf(record.key()))
                        // every process reads every record itself: a clustered publish would
                        // hand each subscriber one copy per process
                        .setLocalOnly(true)));
    return consumer.subscribe(topics);
  }

  public boolean isAssigned() {
    return assigned;
  }

  public Future<Void> stop() {
    return consumer.close();
  }
}
