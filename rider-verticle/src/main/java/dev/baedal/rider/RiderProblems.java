package dev.baedal.rider;

import dev.baedal.platform.consistency.NotYetException;
import dev.baedal.platform.http.ProblemException;

/** The edge of the rider context: its domain failures as the problems clients see. */
final class RiderProblems {
  private RiderProblems() {}

  /** {@code error} as a problem if it is a domain failure, else unchanged. */
  static Throwable of(Throwable error) {
    if (error instanceof DeliveryConflict c) {
      return c.isUnderWay()
          ? NotYetException.conflict(c.getMessage())
          : ProblemException.conflict(c.getMessage());
    }
    if (error instanceof DeliveryNotFound n) {
      return ProblemException.notFound(n.getMessage());
    }
    return error;
  }
}
