package dev.baedal.payment;

import dev.baedal.platform.http.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A simulated card network. Card {@value #DECLINED_CARD} is declined; any other card is approved
 * after {@code latencyMs}, except that a {@code failureRate} share of calls fail as a network
 * error. Both can be changed at run time to overload the payment service on purpose.
 */
final class CardNetwork {
  static final String DECLINED_CARD = "4000000000000002";

  enum Outcome {
    APPROVED,
    DECLINED
  }

  private final Vertx vertx;
  private volatile long latencyMs;
  private volatile double failureRate;

  CardNetwork(Vertx vertx, long latencyMs, double failureRate) {
    this.vertx = vertx;
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

  Future<Outcome> authorize(String cardNumber, int amount) {
    Promise<Outcome> promise = Promise.promise();
    Runnable decide =
        () -> {
          if (ThreadLocalRandom.current().nextDouble() < failureRate) {
            promise.fail(new ProblemException(502, "Bad Gateway", "the card network failed"));
          } else {
            promise.complete(
                DECLINED_CARD.equals(cardNumber) ? Outcome.DECLINED : Outcome.APPROVED);
          }
        };
    if (latencyMs > 0) {
      vertx.setTimer(latencyMs, id -> decide.run());
    } else {
      decide.run();
    }
    return promise.future();
  }
}
