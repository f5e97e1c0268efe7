package dev.baedal.payment;

import dev.baedal.platform.http.ProblemException;
import io.vertx.core.Future;
import java.util.function.Function;

/** The edge of the payment context: its domain failures as the problems the order context sees. */
final class PaymentProblems {
  private PaymentProblems() {}

  /** {@code error} as a problem if it is a domain failure, else unchanged. */
  static Throwable of(Throwable error) {
    return error instanceof PaymentConflict c ? ProblemException.conflict(c.getMessage()) : error;
  }

  /** {@code handler} with its domain failures, thrown or returned, as problems. */
  static <T> Function<T, Future<?>> mapping(Function<T, Future<?>> handler) {
    return request -> {
      try {
        return handler.apply(request).recover(err -> Future.failedFuture(of(err)));
      } catch (RuntimeException e) {
        return Future.failedFuture(of(e));
      }
    };
  }
}
