package dev.baedal.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baedal.devinfra.KafkaProbe;
import dev.baedal.devinfra.TestInfra;
import dev.baedal.platform.Topics;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-order ledger and the load that feeds it, on a real node: balanced after a clean run, and
 * each kind of fault it must catch, planted on purpose, is caught and named by order.
 */
class OrderLedgerTest {
  private static TestSystem system;
  private static Load load;

  /** What the load attempted. */
  private static Map<String, List<Load.Attempt>> attempts;

  /** An order of another customer that gets a second order.placed event, for one test only. */
  private static Map<String, List<Load.Attempt>> duplicated;

  @TempDir static Path dir;

  @BeforeAll
  static void start() throws InterruptedException {
    system = TestSystem.start();
    Load started = Load.start(system, system.login("kim"), 2);
    try (started) {
      started.awaitMore(6);
      started.stop();
    }
    load = started;
    attempts = load.attempts();
    Load other = Load.start(system, system.login("lee"), 1);
    try (other) {
      other.awaitMore(1);
      other.stop();
    }
    duplicated = other.attempts();
    // every effect of the run has landed: the tests below plant one fault each on top of this
    ledger().assertBalanced(attempts, List.of("kim"), Duration.ofSeconds(60));
    ledger().assertBalanced(duplicated, List.of("lee"), Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() {
    if (system != null) {
      system.close();
    }
  }

  private static OrderLedger ledger() {
    return new OrderLedger(Money.tables(system.pool), TestInfra.kafka())
        .onePerCreatedOrder(system.topic(Topics.ORDER_EVENTS), "order.placed")
        .onePerCreatedOrder(system.topic(Topics.PAYMENT_EVENTS), "payment.authorized");
  }

  @Test
  @DisplayName(
      "the load records every attempt under the order id the order context gives it, and a"
          + " clean run balances, an attempt that created nothing included")
  void cleanRunBalances() {
    assertThat(load.customer()).isEqualTo("kim");
    assertThat(load.attempts().keySet()).containsAll(load.placed());
    assertThat(attempts.values()).allMatch(a -> !a.isEmpty());
    assertThat(load.report()).contains("201 x");
    Map<String, List<Load.Attempt>> withGhost = new LinkedHashMap<>(attempts);
    String ghost = Load.orderIdFor("kim", UUID.randomUUID().toString());
    withGhost.put(ghost, List.of(new Load.Attempt(ghost, "k", 0, Instant.now(), 30_000)));
    OrderLedger.Report report =
        ledger().assertBalanced(withGhost, List.of("kim"), Duration.ofSeconds(30));
    assertThat(report.lines()).hasSize(withGhost.size());
  }

  @Test
  @DisplayName(
      "a load with nothing to talk to goes on, recording each attempt as unanswered under its id")
  void loadWithoutAnswers() throws Exception {
    Api nowhere = new Api("http://127.0.0.1:" + JarProcess.freePort());
    Load dead = Load.start(nowhere, system.login("lee"), 2, 1);
    try (dead) {
      dead.awaitMoreAttempts(10);
      dead.stop();
    }
    assertThat(dead.statuses()).containsOnlyKeys(0);
    assertThat(dead.attempts().values())
        .allSatisfy(a -> assertThat(a).hasSizeBetween(1, 2).allMatch(x -> x.status() == 0));
    assertThat(dead.attempts().values().stream().filter(a -> a.size() == 1))
        .as("tried once and retried once with the same key, but where the stop came between")
        .hasSizeLessThanOrEqualTo(2);
    assertThat(dead.attempts().keySet())
        .allMatch(
            id ->
                id.equals(Load.orderIdFor("lee", dead.attempts().get(id).get(0).idempotencyKey())));
  }

  @Test
  @DisplayName(
      "a charge for an order that was never created is caught: by its order id when attempted,"
          + " as never attempted otherwise")
  void orphanChargeIsCaught() {
    String key = UUID.randomUUID().toString();
    String orphan = Load.orderIdFor("kim", key);
    String unknown = Load.orderIdFor("kim", UUID.randomUUID().toString());
    for (String id : List.of(orphan, unknown)) {
      // an authorization the card network approved, with no order behind it
      String paymentId = UUID.randomUUID().toString();
      system.rows(
          "insert into payment_svc.payments (payment_id, order_id, customer_id, amount, status)"
              + " values ($1::uuid, $2::uuid, 'kim', 40500, 'AUTHORIZED')",
          paymentId,
          id);
      system.rows(
          "insert into payment_svc.card_network_ledger (key, amount, outcome)"
              + " values ($1::uuid, 40500, 'APPROVED')",
          paymentId);
    }
    try {
      Map<String, List<Load.Attempt>> withOrphan = new LinkedHashMap<>(attempts);
      withOrphan.put(orphan, List.of(new Load.Attempt(orphan, key, 0, Instant.now(), 30_000)));
      OrderLedger.Report report = ledger().check(withOrphan, List.of("kim"));
      assertThat(report.balanced()).isFalse();
      assertThat(report.wrong()).extracting(OrderLedger.Line::orderId).containsExactly(orphan);
      assertThat(report.toString())
          .contains("order " + orphan + ": charged 40500, final total 0 (never created)")
          .contains("charged 40500 but the final total is 0")
          .contains("order " + unknown + " was never attempted but is charged 40500");
      assertThatThrownBy(
              () -> ledger().assertBalanced(withOrphan, List.of("kim"), Duration.ofSeconds(1)))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining(orphan);
    } finally {
      system.rows(
          "delete from payment_svc.card_network_ledger where key in (select payment_id from"
              + " payment_svc.payments where order_id::text = any($1))",
          (Object) new String[] {orphan, unknown});
      system.rows(
          "delete from payment_svc.payments where order_id::text = any($1)",
          (Object) new String[] {orphan, unknown});
    }
  }

  @Test
  @DisplayName("a charge that differs from the order's total is caught, with both numbers")
  void wrongAmountIsCaught() {
    String id = load.placed().get(0);
    // the card network approved 100 more than the order's total
    String issuer =
        "update payment_svc.card_network_ledger set amount = amount %s 100 where key = (select"
            + " payment_id from payment_svc.payments where order_id = $1::uuid)";
    system.rows(issuer.formatted("+"), id);
    try {
      OrderLedger.Report report = ledger().check(attempts, List.of("kim"));
      assertThat(report.wrong()).extracting(OrderLedger.Line::orderId).containsExactly(id);
      assertThat(report.wrong().get(0).problems())
          .containsExactly("charged 40600 but the final total is 40500");
    } finally {
      system.rows(issuer.formatted("-"), id);
    }
  }

  @Test
  @DisplayName(
      "an effect twice (a second order.placed with another event id) is caught; the same event"
          + " published twice is not a second effect; a notification id twice is caught")
  void duplicatesAreCaught() throws Exception {
    String id = duplicated.keySet().iterator().next();
    JsonObject placed =
        new JsonObject(
            KafkaProbe.read(
                    List.of(system.topic(Topics.ORDER_EVENTS)),
                    r -> id.equals(r.key()) && r.value().contains("\"order.placed\""),
                    1,
                    Duration.ofSeconds(30))
                .get(0)
                .value());
    // the same event again (an outbox republish): one effect
    KafkaProbe.send(system.topic(Topics.ORDER_EVENTS), id, placed.encode());
    assertThat(ledger().check(duplicated, List.of("lee")).balanced()).isTrue();

    KafkaProbe.send(
        system.topic(Topics.ORDER_EVENTS),
        id,
        placed.copy().put("id", UUID.randomUUID().toString()).encode());
    Path outbox = dir.resolve("notifications.jsonl");
    Files.writeString(
        outbox,
        "{\"notificationId\":\"n-1\",\"orderId\":\""
            + id
            + "\"}\n"
            + "{\"notificationId\":\"n-2\"}\n{\"notificationId\":\"n-1\"}\n{\"torn");
    OrderLedger.Report report = ledger().notifications(outbox).check(duplicated, List.of("lee"));
    assertThat(report.wrong()).extracting(OrderLedger.Line::orderId).containsExactly(id);
    assertThat(report.wrong().get(0).problems())
        .containsExactly("2 distinct order.placed events, expected 1");
    assertThat(report.problems()).containsExactly("notification n-1 sent 2 times");
  }
}
