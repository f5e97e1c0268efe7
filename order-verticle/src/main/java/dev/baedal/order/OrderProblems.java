package dev.baedal.order;

import dev.baedal.platform.consistency.NotYetException;
import dev.baedal.platform.http.ProblemException;

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
}
