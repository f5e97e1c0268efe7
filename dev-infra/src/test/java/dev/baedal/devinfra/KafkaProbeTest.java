package dev.baedal.devinfra;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class KafkaProbeTest {
  @Test
  @DisplayName(
      "read finds the records expected and then every duplicate already in the log, up to the end"
          + " offsets; readAll returns the whole log")
  void readsUpToTheEndOffsets() {
    String topic = "probe-" + UUID.randomUUID();
    for (int i = 0; i < 40; i++) {
      KafkaProbe.send(topic, "k" + i, "v" + i);
    }
    KafkaProbe.send(topic, "k7", "v7"); // a duplicate, last in the log
    for (int i = 0; i < 200; i++) {
      KafkaProbe.send(topic, "other" + i, "x"); // what the filter leaves out
    }

    List<ConsumerRecord<String, String>> got =
        KafkaProbe.read(List.of(topic), r -> r.key().startsWith("k"), 40, Duration.ofSeconds(30));
    assertThat(got).hasSize(41);
    assertThat(got.stream().filter(r -> r.key().equals("k7"))).hasSize(2);

    assertThat(KafkaProbe.readAll(TestInfra.kafka(), List.of(topic), Duration.ofSeconds(30)))
        .hasSize(241);
  }

  @Test
  @DisplayName(
      "a topic nobody wrote to yet holds nothing; read waits for one that its producer creates")
  void missingTopics() throws Exception {
    String missing = "probe-missing-" + UUID.randomUUID();
    assertThat(KafkaProbe.read(List.of(missing), r -> true, 0, Duration.ofSeconds(30))).isEmpty();
    assertThat(KafkaProbe.readAll(TestInfra.kafka(), List.of(missing), Duration.ofSeconds(30)))
        .isEmpty();

    String later = "probe-later-" + UUID.randomUUID();
    var producer =
        java.util.concurrent.CompletableFuture.runAsync(() -> KafkaProbe.send(later, "k", "v"));
    assertThat(KafkaProbe.read(List.of(later), r -> true, 1, Duration.ofSeconds(30))).hasSize(1);
    producer.get(30, java.util.concurrent.TimeUnit.SECONDS);
  }
}
