package dev.baedal.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baedal.devinfra.KafkaProbe;
import dev.baedal.devinfra.TestInfra;
import dev.baedal.platform.Settings;
import dev.baedal.platform.Topics;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Python notifiers ({@code python3 -m notifier}, as {@link NotifierProcess} starts one) in one
 * consumer group, each with its own state and outbox file, as two instances on two hosts would be;
 * the second joins while notifications flow, so the group rebalances under them.
 */
class NotifierRebalanceIT {
  @Test
  @DisplayName(
      "a second notifier joins the group under load: every requested notification is sent once,"
          + " by one of the two, and no notification id appears twice in their outbox files")
  void secondNotifierJoins(@TempDir Path dir) throws Exception {
    try (TestSystem system = TestSystem.start(s -> s.with("notifier.enabled", false))) {
      List<Process> notifiers = new ArrayList<>();
      try {
        notifiers.add(notifier(system, dir, "a"));
        Load load = Load.start(system, system.login("kim"), 3, 2);
        try (load) {
          load.awaitMore(20);
          await("the first notifier delivers")
              .atMost(Duration.ofSeconds(60))
              .until(() -> !sent(dir.resolve("a.jsonl")).isEmpty());
          notifiers.add(notifier(system, dir, "b"));
          await("the second notifier got partitions and delivers")
              .atMost(Duration.ofSeconds(60))
              .until(() -> !sent(dir.resolve("b.jsonl")).isEmpty());
          load.awaitMore(20);
          load.stop();
        }

        Set<String> created = Set.copyOf(load.placed());
        Map<String, String> requested = requested(system, created);
        await("every requested notification is in an outbox file")
            .atMost(Duration.ofSeconds(60))
            .until(() -> union(dir).keySet().containsAll(requested.keySet()));
        // both notifiers quiet: what they have is all they will send for these orders
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    system.count(
                            "select count(*) from notify_svc.notifications where status <> 'sent'")
                        == 0);

        Map<String, Integer> times = union(dir);
        Path both = dir.resolve("both.jsonl");
        Files.write(
            both,
            List.of(
                Files.readString(dir.resolve("a.jsonl")).strip(),
                Files.readString(dir.resolve("b.jsonl")).strip()));
        OrderLedger.Report report =
            new OrderLedger(Money.tables(system.pool), TestInfra.kafka())
                .onePerCreatedOrder(system.topic(Topics.ORDER_EVENTS), "order.placed")
                .notifications(both)
                .assertBalanced(load.attempts(), List.of(load.customer()), Duration.ofSeconds(30));
        Set<String> twice =
            times.entrySet().stream()
                .filter(e -> e.getValue() > 1)
                .map(Map.Entry::getKey)
                .collect(Collectors.toCollection(TreeSet::new));
        System.out.printf(
            "NotifierRebalanceIT: %d orders attempted, %d created; %d notifications requested,"
                + " %d sent by a, %d by b, %d sent twice%n",
            report.lines().size(),
            created.size(),
            requested.size(),
            sent(dir.resolve("a.jsonl")).size(),
            sent(dir.resolve("b.jsonl")).size(),
            twice.size());
        assertThat(twice).as("notification ids in both outbox files (or twice in one)").isEmpty();
        assertThat(times.keySet())
            .as("every requested notification of the load's orders was sent")
            .containsAll(requested.keySet());
      } finally {
        for (Process p : notifiers) {
          p.destroy();
          if (!p.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
          }
        }
      }
    }
  }

  /** {@code python3 -m notifier} as NotifierProcess runs it, with a state and outbox of its own. */
  private static Process notifier(TestSystem system, Path dir, String name) throws IOException {
    Path module = Path.of("..", "python-notifier").toAbsolutePath().normalize();
    ProcessBuilder pb =
        new ProcessBuilder(List.of("/usr/bin/python3", "-m", "notifier"))
            .directory(module.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(name + ".log").toFile());
    Map<String, String> env = pb.environment();
    // the same group (<group prefix>-notifier) and topics as NotifierProcess gives its notifier
    for (String key : List.of("kafka", "kafka.topic-prefix", "kafka.group-prefix")) {
      env.put(Settings.envName(key), system.settings.string(key));
    }
    env.put("BAEDAL_NOTIFIER_OUTBOX", dir.resolve(name + ".jsonl").toString());
    env.put("BAEDAL_NOTIFIER_STATE", dir.resolve(name + ".sqlite3").toString());
    return pb.start();
  }

  /** The notification ids requested for {@code orders}: id -> order. */
  private static Map<String, String> requested(TestSystem system, Set<String> orders) {
    Map<String, String> out = new HashMap<>();
    for (ConsumerRecord<String, String> r :
        KafkaProbe.readAll(
            TestInfra.kafka(),
            List.of(system.topic(Topics.NOTIFICATION_REQUESTS)),
            Duration.ofSeconds(60))) {
      JsonObject data = new JsonObject(r.value()).getJsonObject("data");
      if (data != null && orders.contains(data.getString("orderId"))) {
        out.put(data.getString("notificationId"), data.getString("orderId"));
      }
    }
    return out;
  }

  /** Notification id -> how many times it is in the two outbox files together. */
  private static Map<String, Integer> union(Path dir) throws IOException {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (String name : List.of("a.jsonl", "b.jsonl")) {
      sent(dir.resolve(name)).forEach(id -> out.merge(id, 1, Integer::sum));
    }
    return out;
  }

  /** The notification ids in one outbox file, whole lines only, in order. */
  private static List<String> sent(Path file) throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    String text = Files.readString(file);
    return text.substring(0, text.lastIndexOf('\n') + 1)
        .lines()
        .filter(l -> !l.isBlank())
        .map(l -> new JsonObject(l).getString("notificationId"))
        .toList();
  }
}
