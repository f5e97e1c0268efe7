package dev.baedal.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.baedal.devinfra.KafkaProbe;
import dev.baedal.devinfra.Signals;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaProcessIT {
  @Test
  @DisplayName(
      "baedal kafka as a child process: paused it answers nothing, SIGKILLed it is gone, started"
          + " again it has every acknowledged record on the same port")
  void killAndRestart(@TempDir Path dir) throws Exception {
    try (KafkaProcess kafka = KafkaProcess.start(dir)) {
      for (int i = 0; i < 20; i++) {
        send(kafka, "r" + i);
      }
      long first = kafka.pid();

      kafka.pause();
      try {
        assertThat(Signals.state(first)).isEqualTo('T');
        // no answer in time: the client's own timeout (wrapped) or ours, whichever ends first
        Throwable noAnswer = catchThrowable(() -> describe(kafka));
        assertThat(noAnswer).as("a paused broker answers nothing").isNotNull();
        assertThat(
                noAnswer instanceof java.util.concurrent.ExecutionException
                    ? noAnswer.getCause()
                    : noAnswer)
            .isInstanceOfAny(
                java.util.concurrent.TimeoutException.class,
                org.apache.kafka.common.errors.TimeoutException.class);
      } finally {
        kafka.resume();
      }
      describe(kafka);

      kafka.kill();
      assertThat(Signals.state(first)).isEqualTo('X');
      kafka.start();
      assertThat(kafka.pid()).isNotEqualTo(first);

      send(kafka, "after");
      assertThat(
              KafkaProbe.readAll(kafka.bootstrap(), List.of("crash"), Duration.ofSeconds(60))
                  .stream()
                  .map(r -> r.value()))
          .hasSize(21)
          .contains("r0", "r19", "after");
    }
  }

  private static void send(KafkaProcess kafka, String value) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka.bootstrap());
    p.put("acks", "all");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>("crash", value, value)).get(60, TimeUnit.SECONDS);
    }
  }

  private static void describe(KafkaProcess kafka) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka.bootstrap());
    p.put("request.timeout.ms", "3000");
    p.put("default.api.timeout.ms", "3000");
    Admin admin = Admin.create(p);
    try {
      admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
    } finally {
      admin.close(Duration.ZERO); // a paused broker would hold a graceful close
    }
  }
}
