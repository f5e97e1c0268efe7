package dev.baedal.payment;

import dev.baedal.contract.Won;
import dev.baedal.platform.http.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A simulated card network (the issuer), with a ledger of its own, as a real one keeps on its side
 * ({@code card_network_ledger}). An authorization is idempotent by its key (our payment or
 * adjustment id): asking twice authorizes once and answers the same. Card {@value #DECLINED_CARD}
 * is declined; any other is approved after {@code latencyMs}, except that a {@code failureRate}
 * share of calls fail as a network error: half of them before the issuer saw the request, half
 * after it authorized (the answer is lost). So a caller can never tell from a failure whether the
 * card was charged, and must find out by asking again or by {@link #status}.
 */
final class CardNetwork {
  static final String DECLINED_CARD = "4000000000000002";

  enum Outcome {
    APPROVED,
    DECLINED
  }

  private static final String RECORD =
      "insert into payment_svc.card_network_ledger (key, amount, outcome) values ($1, $2, $3)"
          + " on conflict (key) do nothing";
  private static final String FIND =
      "select outcome from payment_svc.card_network_ledger where key = $1";
  private static final String REVERSE =
      "with done as (update payment_svc.card_network_commands set done_at = now()"
          + " where command_id = $1 and done_at is null returning key, amount)"
          + " update payment_svc.card_network_ledger l set reversed = reversed + done.amount"
          + " from done where l.key = done.key";

  private final Vertx vertx;
  private final Pool pool;
  private volatile long latencyMs;
  private volatile double failureRate;

  CardNetwork(Vertx vertx, Pool pool, long latencyMs, double failureRate) {
    this.vertx = vertx;
    this.pool = pool;
    set(latencyMs, failureRate);
  }

  void set(long latencyMs, double failureRate) {
    if (latencyMs < 0 || failureRate < 0 || failureRate > 1) {
      throw new IllegalArgumentException("latencyMs >= 0 and 0 <= failureRate <= 1");
    }
    this.latencyMs = latencyMs;
    this.failureRate = failureRate;
  }

  long latencyMs() {
    return latencyMs;
  }

  double failureRate() {
    return failureRate;
  }

  /** Authorizes {@code amount} once per {@code key}; a repeated key gets the first answer. */
  Future<Outcome> authorize(UUID key, String cardNumber, Won amount) {
    return afterLatency()
        .compose(
            v -> {
              double dice = ThreadLocalRandom.current().nextDouble();
              if (dice < failureRate / 2) {
                return Future.failedFuture(lost("the request"));
              }
              Outcome outcome =
                  DECLINED_CARD.equals(cardNumber) ? Outcome.DECLINED : Outcome.APPROVED;
              return pool.preparedQuery(RECORD)
                  .execute(Tuple.of(key, amount.value(), outcome.name()))
                  .compose(rs -> status(key))
                  .compose(
                      first ->
                          dice < failureRate
                              ? Future.failedFuture(lost("the answer"))
                              : Future.succeededFuture(first));
            });
  }

  /** What the network answered for {@code key}, or null if it never saw the request. */
  Future<Outcome> status(UUID key) {
    return pool.preparedQuery(FIND)
        .execute(Tuple.of(key))
        .map(rs -> rs.size() == 0 ? null : Outcome.valueOf(rs.iterator().next().getString(0)));
  }

  /**
   * Carries out a refund or reversal command recorded in {@code card_network_commands}: once per
   * command, whatever the number of calls.
   */
  Future<Void> reverse(UUID commandId) {
    return afterLatency()
        .compose(
            v ->
                ThreadLocalRandom.current().nextDouble() < failureRate
                    ? Future.failedFuture(lost("the refund"))
                    : pool.preparedQuery(REVERSE).execute(Tuple.of(commandId)).mapEmpty());
  }

  private Future<Void> afterLatency() {
    if (latencyMs == 0) {
      return Future.succeededFuture();
    }
    Promise<Void> later = Promise.promise();
    vertx.setTimer(latencyMs, id -> later.complete());
    return later.future();
  }

  private static ProblemException lost(String what) {
    return new ProblemException(
        502, "Bad Gateway", "the card network failed: " + what + " was lost");
  }
}
