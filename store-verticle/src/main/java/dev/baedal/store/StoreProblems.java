package dev.baedal.store;

import dev.baedal.platform.http.ProblemException;

/** The edge of the store context: its domain failures as the problems clients see. */
final class StoreProblems {
  private StoreProblems() {}

  /** {@code error} as a problem if it is a domain failure, else unchanged. */
  static Throwable of(Throwable error) {
    return error instanceof StoreOrderConflict c
        ? ProblemException.conflict(c.getMessage())
        : error;
  }
}
