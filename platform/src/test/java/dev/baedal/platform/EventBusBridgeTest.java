package dev.baedal.platform;

import static dev.baedal.devinfra.TestInfra.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baedal.devinfra.KafkaProbe;
import dev.baedal.platform.events.CloudEvent;
import dev.baedal.platform.kafka.EventBusBridge;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class EventBusBridgeTest {

  @Test
  @DisplayName(
      "records of a bridged topic are published on its live address, in order, with the key")
  void republishesRecords() {
    Vertx vertx = Vertx.vertx();
    String topic = "bridge-test-" + UUID.randomUUID();
    KafkaProbe.send(topic, "warm-up", "created"); // the bridge starts at the end of the topic
    EventBusBridge bridge = new EventBusBridge(vertx, Infra.settings(), Set.of(topic));
    List<Message<String>> got = new CopyOnWriteArrayList<>();
    vertx.eventBus().<String>consumer(Addresses.live(topic), got::add);
    try {
      join(bridge.start());
      await().atMost(Duration.ofSeconds(30)).until(bridge::isAssigned);
      List<CloudEvent> sent =
          List.of(
              CloudEvent.of("/test", "test.one", "order-1", null),
              CloudEvent.of("/test", "test.two", "order-1", null));
      sent.forEach(e -> KafkaProbe.send(topic, e.subject(), e.encode()));

      await().atMost(Duration.ofSeconds(30)).until(() -> got.size() >= 2);
      assertThat(got)
          .extracting(m -> CloudEvent.parse(m.body()).id())
          .containsExactly(sent.get(0).id(), sent.get(1).id());
      assertThat(got).extracting(m -> m.headers().get("key")).containsOnly("order-1");
    } finally {
      join(bridge.stop());
      join(vertx.close());
    }
  }
}
