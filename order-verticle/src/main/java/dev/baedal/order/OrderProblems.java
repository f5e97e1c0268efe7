package dev.baedal.order;

import dev.baedal.platform.consistency.NotYetException;
import dev.baedal.platform.http.ProblemException;
import io.vertx.core.Future;

/** The edge of the order context: its domain failures as the problems clients see. */
final class OrderProblems {
  private OrderProblems() {}

  /** {@code error} as a problem if it is a domain failure, else unchanged. */
  static Throwable of(Throwable error) {
    if (error instanceof OrderConflict c) {
      return c.isUnderWay()
          ? NotYetException.conflict(c.getMessage())
          : ProblemException.conflict(c.getMessage());
    }
    if (error instanceof OrderNotFound n) {
      return ProblemException.notFound(n.getMessage());
    }
    return error;
  }

  /** {@code result} with its domain failure, if any, as a problem. */
  static <T> Future<T> mapped(Future<T> result) {
    return result.recover(err -> Future.failedFuture(of(err)));
  }
}
