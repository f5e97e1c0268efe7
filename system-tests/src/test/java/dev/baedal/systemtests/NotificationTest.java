package dev.baedal.systemtests;

import static dev.baedal.systemtests.TestSystem.GOOD_CARD;
import static dev.baedal.systemtests.TestSystem.chickenOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baedal.devinfra.KafkaProbe;
import dev.baedal.launcher.NotifierProcess;
import dev.baedal.platform.Topics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Notifications end to end: notify-verticle, Kafka, the Python notifier as a child process. */
class NotificationTest {
  private static final List<String> LIFECYCLE =
      List.of(
          "order_paid",
          "order_accepted",
          "cooking_started",
          "rider_assigned",
          "cooking_finished",
          "delivery_started",
          "delivered",
          "completed",
          "thanks");

  @TempDir static Path dataDir;
  private static TestSystem system;
  private static NotifierProcess notifier;

  @BeforeAll
  static void start() {
    system = TestSystem.start(s -> s.with("data.dir", dataDir.toString()));
    notifier = new NotifierProcess(system.settings);
    StringBuilder said = new StringBuilder();
    assertThat(notifier.start(said::append)).as(said.toString()).isTrue();
  }

  @AfterAll
  static void stop() {
    if (notifier != null) {
      notifier.close();
    }
    system.close();
  }

  @Test
  @DisplayName(
      "a lifecycle gets one notification per status change plus the thank-you, each delivered once and shown as sent")
  void oneNotificationPerStatusChange() throws IOException {
    String kim = system.login("kim");
    String id = system.placeAs(kim, chickenOrder(GOOD_CARD));
    system.completeLifecycle(id, kim);

    await().atMost(Duration.ofSeconds(60)).until(() -> delivered(id).size() >= LIFECYCLE.size());
    List<JsonObject> delivered = delivered(id);
    assertThat(delivered)
        .extracting(n -> n.getString("template"))
        .containsExactlyInAnyOrderElementsOf(LIFECYCLE);
    assertThat(delivered).extracting(n -> n.getString("notificationId")).doesNotHaveDuplicates();
    JsonObject accepted =
        delivered.stream()
            .filter(n -> n.getString("template").equals("order_accepted"))
            .findFirst()
            .orElseThrow();
    assertThat(accepted.getString("text"))
        .contains("한옥치킨", "Hanok Chicken")
        .contains("[배달]")
        .contains("[Baedal]");
    assertThat(accepted.getString("text")).contains("Fried Chicken x2").contains("40,500");
    assertThat(accepted.getString("recipientPhone")).isEqualTo("010-1234-5678");
    // the button opens the order's page (the customer page routes on the fragment)
    assertThat(accepted.getJsonArray("buttons").getJsonObject(0).getString("url"))
        .endsWith("/customer.html#/order/" + id);
    JsonObject assigned =
        delivered.stream()
            .filter(n -> n.getString("template").equals("rider_assigned"))
            .findFirst()
            .orElseThrow();
    assertThat(assigned.getString("text")).containsPattern("약 \\d+분");

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              JsonArray shown =
                  system.get("/api/orders/" + id, kim).json().getJsonArray("notifications");
              assertThat(shown).hasSize(LIFECYCLE.size());
              assertThat(shown.stream().map(n -> ((JsonObject) n).getString("status")))
                  .containsOnly("sent");
              assertThat(shown.stream().map(n -> ((JsonObject) n).getString("type")))
                  .containsExactlyInAnyOrderElementsOf(LIFECYCLE);
              assertThat(shown.stream().map(n -> ((JsonObject) n).getString("channel")))
                  .containsOnly("kakao");
              // each with the text the customer got, in Korean and in English
              for (Object n : shown) {
                JsonObject note = (JsonObject) n;
                JsonObject got =
                    delivered.stream()
                        .filter(d -> d.getString("template").equals(note.getString("type")))
                        .findFirst()
                        .orElseThrow();
                assertThat(got.getString("text"))
                    .isEqualTo(note.getString("textKo") + "\n" + note.getString("textEn"));
              }
            });
    List<ConsumerRecord<String, String>> requests =
        KafkaProbe.read(
            List.of(system.topic(Topics.NOTIFICATION_REQUESTS)),
            r -> id.equals(r.key()),
            LIFECYCLE.size(),
            Duration.ofSeconds(30));
    assertThat(requests).as("one request per change, none twice").hasSize(LIFECYCLE.size());
  }

  @Test
  @DisplayName(
      "a notifier killed (SIGKILL) while orders come in is started again and delivers every"
          + " requested notification, none twice")
  void notifierIsRestarted() throws Exception {
    String kim = system.login("kim");
    List<String> ids = new java.util.ArrayList<>();
    ids.add(system.placeAs(kim, chickenOrder(GOOD_CARD)));
    ProcessHandle first = notifier.process().orElseThrow();
    // while it is (or may be) in the middle of sending the first order's notice
    ids.add(system.placeAs(kim, chickenOrder(GOOD_CARD)));
    first.destroyForcibly();
    await().atMost(Duration.ofSeconds(10)).until(() -> !first.isAlive());
    for (int i = 0; i < 4; i++) {
      ids.add(system.placeAs(kim, chickenOrder(GOOD_CARD)));
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> notifier.process().map(p -> p.pid() != first.pid()).orElse(false));

    // what was asked for these orders, up to the topic's end: one order_paid each
    java.util.Set<String> requested =
        KafkaProbe.read(
                List.of(system.topic(Topics.NOTIFICATION_REQUESTS)),
                r -> ids.contains(r.key()),
                ids.size(),
                Duration.ofSeconds(30))
            .stream()
            .map(r -> new JsonObject(r.value()).getJsonObject("data").getString("notificationId"))
            .collect(java.util.stream.Collectors.toSet());
    assertThat(requested).hasSize(ids.size());
    await("every requested notification is delivered")
        .atMost(Duration.ofSeconds(60))
        .until(() -> deliveredIds().containsAll(requested));
    // and once: the whole outbox file has no notification id twice
    List<String> all = deliveredIds();
    assertThat(all).doesNotHaveDuplicates();
    for (String id : ids) {
      assertThat(delivered(id))
          .extracting(n -> n.getString("template"))
          .containsExactly("order_paid");
    }
  }

  /** Every notification id in the notifier's outbox file, in order, duplicates kept. */
  private static List<String> deliveredIds() throws IOException {
    return wholeLines().stream().map(n -> n.getString("notificationId")).toList();
  }

  private static List<JsonObject> delivered(String orderId) throws IOException {
    return wholeLines().stream().filter(n -> orderId.equals(n.getString("orderId"))).toList();
  }

  private static List<JsonObject> wholeLines() throws IOException {
    Path outbox = notifier.outboxFile();
    if (!Files.exists(outbox)) {
      return List.of();
    }
    String text = Files.readString(outbox);
    // the notifier may be writing a line right now: only whole lines count
    String whole = text.substring(0, text.lastIndexOf('\n') + 1);
    return whole.lines().filter(l -> !l.isBlank()).map(JsonObject::new).toList();
  }
}
