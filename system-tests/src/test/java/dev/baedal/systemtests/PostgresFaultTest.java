package dev.baedal.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baedal.devinfra.PgServer;
import dev.baedal.devinfra.TcpProxy;
import dev.baedal.devinfra.TestInfra;
import dev.baedal.platform.Topics;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL misbehaving under customers who keep ordering, each run ending with the per-order
 * ledger ({@link OrderLedger}): the card's issuer has charged each order exactly its final total
 * (nothing for an order that never came to be), and each order's events are published once.
 *
 * <p>The server is one of this class's own, with fsync on ({@link TestInfra#crashablePostgres()}),
 * reached through a {@link TcpProxy} so that a COMMIT's answer can be lost on the way back.
 */
class PostgresFaultTest {
  private PgServer pg;
  private TcpProxy proxy;
  private TestSystem system;

  @BeforeEach
  void start() {
    pg = TestInfra.crashablePostgres();
    URI direct = URI.create(pg.freshDatabase("faults"));
    proxy = TcpProxy.start(direct.getHost(), direct.getPort());
    String proxied =
        direct.toString().replace(":" + direct.getPort() + "/", ":" + proxy.port() + "/");
    system =
        TestSystem.start(
            s ->
                s.with("pg.url", proxied)
                    // short windows, so the ledger settles within the test
                    .with("payment.reserve-ms", 4000)
                    .with("payment.pending-timeout-ms", 4000)
                    .with("payment.reconcile-interval-ms", 1000)
                    .with("request.timeout-ms", 5000));
  }

  @AfterEach
  void stop() {
    if (system != null) {
      system.close();
    }
    if (proxy != null) {
      proxy.close();
    }
    if (pg != null) {
      pg.close();
    }
  }

  private OrderLedger ledger() {
    return new OrderLedger(Money.tables(system.pool), TestInfra.kafka())
        .onePerCreatedOrder(system.topic(Topics.ORDER_EVENTS), "order.placed")
        // an authorization whose order never came to be is published, then voided (net 0)
        .oncePerCreatedOrderAtMostOnceOtherwise(
            system.topic(Topics.PAYMENT_EVENTS), "payment.authorized");
  }

  @Test
  @DisplayName("PostgreSQL frozen (SIGSTOP) for 6 s under load: after SIGCONT every order balances")
  void paused() throws InterruptedException {
    underLoad(
        "pg-sigstop-6s",
        "SIGCONT",
        load -> {
          pg.pause();
          try {
            TimeUnit.SECONDS.sleep(6); // the fault itself: six seconds of a frozen server
          } finally {
            pg.resume();
          }
        });
  }

  @Test
  @DisplayName("PostgreSQL killed (SIGKILL) and started again under load: every order balances")
  void restarted() throws InterruptedException {
    underLoad(
        "pg-sigkill-restart",
        "start",
        load -> {
          pg.kill();
          load.awaitMoreAttempts(3);
          pg.start();
        });
  }

  /** A fault that breaks PostgreSQL and returns once it is mended. */
  private interface Fault {
    void breakAndMend(Load load) throws InterruptedException;
  }

  /**
   * Customers order; after 10 orders {@code fault} breaks and mends PostgreSQL; then 10 more
   * orders, the per-order ledger, and one line with the time from the mend to the first 201.
   */
  private void underLoad(String name, String mend, Fault fault) throws InterruptedException {
    Load load = Load.start(system, system.login("kim"), 3, 3);
    long recoveredMs;
    try (load) {
      load.awaitMore(10);
      fault.breakAndMend(load);
      long mended = System.nanoTime();
      load.awaitMore(1);
      recoveredMs = (System.nanoTime() - mended) / 1_000_000;
      load.awaitMore(10);
      load.stop();
    }
    OrderLedger.Report report =
        ledger().assertBalanced(load.attempts(), List.of(load.customer()), Duration.ofSeconds(60));
    System.out.printf(
        "fault %s: %s; %d orders created, %d wrong; first 201 %d ms after %s%n",
        name, load.report(), created(report), report.wrong().size(), recoveredMs, mend);
  }

  @Test
  @DisplayName(
      "COMMIT acknowledgements lost (committed, the client never told) under load: every order"
          + " balances")
  void lostCommitAcks() throws Exception {
    Load load = Load.start(system, system.login("kim"), 3, 3);
    List<TcpProxy.LostCommit> lost = new ArrayList<>();
    try (load) {
      load.awaitMore(10);
      // the node's contexts share one pool: each lost answer hits whichever transaction commits
      // next (a placement, a payment, a consumer's batch, the outbox relay)
      for (int i = 0; i < 8; i++) {
        CompletableFuture<TcpProxy.LostCommit> next = proxy.loseNextCommitAck();
        try {
          lost.add(next.get(30, TimeUnit.SECONDS));
        } catch (TimeoutException e) {
          throw new AssertionError("no COMMIT passed the proxy in 30 s", e);
        }
        load.awaitMoreAttempts(2);
      }
      load.awaitMore(10);
      load.stop();
    }
    assertThat(lost).hasSize(8);
    OrderLedger.Report report =
        ledger().assertBalanced(load.attempts(), List.of(load.customer()), Duration.ofSeconds(60));
    System.out.printf(
        "fault pg-lost-commit-ack x%d: %s; %d orders created, %d wrong%n",
        lost.size(), load.report(), created(report), report.wrong().size());
  }

  private static long created(OrderLedger.Report report) {
    return report.lines().stream().filter(l -> l.order() != null).count();
  }
}
