package dev.baedal.systemtests;

import static dev.baedal.systemtests.TestSystem.GOOD_CARD;
import static dev.baedal.systemtests.TestSystem.chickenOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PaymentBreakerTest {
  private static final int MAX_FAILURES = 3;
  private static final int TIMEOUT_MS = 600;
  private static final int RESET_MS = 1500;
  private static TestSystem system;
  private static String kim;

  @BeforeAll
  static void start() {
    system =
        TestSystem.start(
            s ->
                s.with("breaker.max-failures", MAX_FAILURES)
                    .with("breaker.timeout-ms", TIMEOUT_MS)
                    .with("breaker.reset-timeout-ms", RESET_MS)
                    // an authorization whose order never came is released after this
                    .with("payment.reserve-ms", 3000)
                    .with("payment.reconcile-interval-ms", 500));
    kim = system.login("kim");
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  @Test
  @DisplayName(
      "a slow payment opens the breaker: fast 503s with Retry-After, no order, no charge kept; it closes after recovery")
  void breakerOpensAndCloses() {
    assertThat(place().status()).isEqualTo(201);
    system.cardNetwork(3000, 0);

    List<String> timedOut = new ArrayList<>();
    for (int i = 0; i < MAX_FAILURES; i++) {
      String key = UUID.randomUUID().toString();
      TestSystem.Response r = system.placeOrder(kim, key, chickenOrder(GOOD_CARD));
      assertThat(r.status()).isEqualTo(503);
      assertThat(r.header("Retry-After")).isNotNull();
      assertThat(r.json().getString("detail")).contains("payment is busy");
      timedOut.add(key);
    }
    assertThat(metric("baedal_circuit_breaker_state{name=\"payment\"}")).isEqualTo(2.0);

    long started = System.nanoTime();
    TestSystem.Response fast = place();
    long tookMs = (System.nanoTime() - started) / 1_000_000;
    assertThat(fast.status()).isEqualTo(503);
    assertThat(tookMs)
        .as("an open breaker answers without waiting for the timeout")
        .isLessThan(TIMEOUT_MS / 2);
    assertThat(Integer.parseInt(fast.header("Retry-After"))).isPositive();

    // no order exists for a request that got 503; each one's authorization went through at the
    // card network (late), and was released by the reconciler: nothing charged, order by order
    List<String> orderIds = timedOut.stream().map(k -> Load.orderIdFor("kim", k)).toList();
    assertThat(Money.tables(system.pool).orders(orderIds)).isEmpty();
    await("each late authorization reached the card network")
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                system.count(
                        "select count(*) from payment_svc.payments p join"
                            + " payment_svc.card_network_ledger l on l.key = p.payment_id"
                            + " where p.order_id::text = any($1) and l.outcome = 'APPROVED'",
                        (Object) orderIds.toArray(new String[0]))
                    == orderIds.size());
    await("and was released: no charge stays for an order that does not exist")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(Money.tables(system.pool).netCharged(orderIds))
                    .containsOnlyKeys(orderIds)
                    .allSatisfy((id, net) -> assertThat(net).as(id).isZero()));

    system.cardNetwork(0, 0);
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> place().status() == 201);
    assertThat(metric("baedal_circuit_breaker_state{name=\"payment\"}")).isEqualTo(0.0);
    assertThat(place().status()).isEqualTo(201);
  }

  @Test
  @DisplayName("a failing card network also opens the breaker, and declines never count against it")
  void declinesDoNotOpenTheBreaker() {
    system.cardNetwork(0, 0);
    await().atMost(Duration.ofSeconds(20)).until(() -> place().status() == 201);
    for (int i = 0; i < MAX_FAILURES * 2; i++) {
      assertThat(
              system
                  .placeOrder(
                      kim, UUID.randomUUID().toString(), chickenOrder(TestSystem.DECLINED_CARD))
                  .status())
          .isEqualTo(402);
    }
    assertThat(place().status()).isEqualTo(201);

    system.cardNetwork(0, 1.0);
    for (int i = 0; i < MAX_FAILURES; i++) {
      assertThat(place().status()).isEqualTo(503);
    }
    assertThat(metric("baedal_circuit_breaker_state{name=\"payment\"}")).isEqualTo(2.0);
    system.cardNetwork(0, 0);
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> place().status() == 201);
  }

  private static TestSystem.Response place() {
    return system.placeOrder(kim, UUID.randomUUID().toString(), chickenOrder(GOOD_CARD));
  }

  private static double metric(String series) {
    String text = system.metrics();
    return text.lines()
        .filter(l -> l.startsWith(series + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1).trim()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no metric " + series));
  }
}
