package dev.baedal.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baedal.platform.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker ({@code baedal kafka}, a child process) SIGKILLed under load: no controlled shutdown,
 * every client connection reset. Orders are still taken (their events wait in the outboxes), and
 * once the same broker is started again the events that waited are sent (while the load goes on, so
 * the outboxes are never empty for long: the test watches the rows that waited at the restart), the
 * outboxes drain once the load stops, and the per-order ledger balances.
 */
class BrokerCrashIT {
  @Test
  @DisplayName(
      "the broker SIGKILLed under load for ~10 s: orders are still accepted, the outboxes drain"
          + " after its restart, every order is charged its total and its events are published once")
  void brokerKilledUnderLoad(@TempDir Path dir) throws Exception {
    try (KafkaProcess kafka = KafkaProcess.start(dir);
        TestSystem system =
            TestSystem.start(
                kafka.bootstrap(),
                s ->
                    s.with("payment.reserve-ms", 8000)
                        .with("payment.pending-timeout-ms", 5000)
                        .with("payment.reconcile-interval-ms", 1000))) {
      Load load = Load.start(system, system.login("kim"), 3, 2);
      long outageNanos;
      long drainMillis;
      long startMillis;
      java.time.Instant killedAt;
      java.time.Instant restartedAt;
      java.time.Instant readyAt;
      int placedBefore;
      int placedDuring;
      try (load) {
        load.awaitMore(15);
        placedBefore = load.placed().size();
        kafka.kill();
        long killed = System.nanoTime();
        killedAt = java.time.Instant.now();
        await("orders keep being placed for 10 s with the broker dead")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () ->
                    System.nanoTime() - killed >= Duration.ofSeconds(10).toNanos()
                        && load.placed().size() - placedBefore >= 10);
        placedDuring = load.placed().size() - placedBefore;
        long pending = outboxes(system);
        assertThat(pending).as("events wait in the outboxes while the broker is dead").isPositive();
        // the backlog: what waits now; the load goes on, so new rows keep coming and going
        Map<String, Long> backlog = lastSeqs(system);
        restartedAt = java.time.Instant.now();
        outageNanos = System.nanoTime() - killed;
        kafka.start();
        readyAt = java.time.Instant.now();
        long restarted = System.nanoTime();
        startMillis = (restarted - killed - outageNanos) / 1_000_000;
        await("the events that waited in the outboxes are sent after the restart")
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> waiting(system, backlog) == 0);
        drainMillis = (System.nanoTime() - restarted) / 1_000_000;
        load.awaitMore(10);
        load.stop();
      }
      List<Load.Attempt> all = load.attempts().values().stream().flatMap(List::stream).toList();
      List<Load.Attempt> duringOutage =
          all.stream().filter(a -> !a.at().isBefore(killedAt) && a.at().isBefore(readyAt)).toList();
      System.out.println(
          "BrokerCrashIT: refusals "
              + load.refusals()
              + "; not 201 before the kill / while the broker was dead or starting / after it was"
              + " ready (ms after): "
              + all.stream().filter(a -> a.at().isBefore(killedAt) && a.status() != 201).count()
              + " / "
              + duringOutage.stream().filter(a -> a.status() != 201).count()
              + " / "
              + all.stream()
                  .filter(a -> !a.at().isBefore(readyAt) && a.status() != 201)
                  .map(a -> Duration.between(readyAt, a.at()).toMillis())
                  .toList()
              + "; request time during the outage max "
              + duringOutage.stream().mapToLong(Load.Attempt::millis).max().orElse(0)
              + " ms, mean "
              + (long) duringOutage.stream().mapToLong(Load.Attempt::millis).average().orElse(0)
              + " ms; the broker took "
              + startMillis
              + " ms to start again");
      assertThat(duringOutage)
          .as(
              "every order placed while the broker was dead (or starting) is accepted; after it"
                  + " is back, a 503 (admission control while the consumers catch up) must charge"
                  + " nothing, which the ledger checks: "
                  + load.report())
          .allMatch(a -> a.status() == 201);
      await("the outboxes drain after the load")
          .atMost(Duration.ofSeconds(60))
          .until(() -> outboxes(system) == 0);

      OrderLedger.Report report =
          new OrderLedger(Money.tables(system.pool), kafka.bootstrap())
              .onePerCreatedOrder(system.topic(Topics.ORDER_EVENTS), "order.placed")
              .onePerCreatedOrder(system.topic(Topics.PAYMENT_EVENTS), "payment.authorized")
              .assertBalanced(load.attempts(), List.of(load.customer()), Duration.ofSeconds(60));
      System.out.printf(
          "BrokerCrashIT: %d orders attempted, %d created (%d while the broker was dead for %.1f"
              + " s); %s; %d mismatches; the events that waited sent %d ms after the restart%n",
          report.lines().size(),
          report.lines().stream().filter(l -> l.order() != null).count(),
          placedDuring,
          outageNanos / 1e9,
          load.report(),
          report.wrong().size(),
          drainMillis);
    }
  }

  /** Events still to publish, in every context's outbox. */
  static long outboxes(TestSystem system) {
    return system.count(
        "select "
            + schemas(system).stream()
                .map(s -> "(select count(*) from " + s + ".outbox)")
                .collect(Collectors.joining(" + ")));
  }

  /** Each context's newest outbox row now (its seq; 0 when the outbox is empty). */
  static Map<String, Long> lastSeqs(TestSystem system) {
    Map<String, Long> last = new HashMap<>();
    for (String schema : schemas(system)) {
      last.put(schema, system.count("select coalesce(max(seq), 0) from " + schema + ".outbox"));
    }
    return last;
  }

  /** How many of the rows up to {@code lastSeqs} are still in the outboxes (not yet sent). */
  static long waiting(TestSystem system, Map<String, Long> lastSeqs) {
    return system.count(
        "select "
            + lastSeqs.entrySet().stream()
                .map(
                    e ->
                        "(select count(*) from "
                            + e.getKey()
                            + ".outbox where seq <= "
                            + e.getValue()
                            + ")")
                .collect(Collectors.joining(" + ")));
  }

  private static List<String> schemas(TestSystem system) {
    return system
        .rows(
            "select table_schema from information_schema.tables where table_name = 'outbox'"
                + " and table_schema like '%svc'")
        .stream()
        .map(r -> r.getString(0))
        .toList();
  }
}
