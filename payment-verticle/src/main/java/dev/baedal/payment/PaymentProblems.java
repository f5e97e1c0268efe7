package dev.baedal.payment;

import dev.baedal.platform.http.ProblemException;

/** The edge of the payment context: its domain failures as the problems the order context sees. */
final class PaymentProblems {
  private PaymentProblems() {}

  /** {@code error} as a problem if it is a domain failure, else unchanged. */
  static Throwable of(Throwable error) {
    return error instanceof PaymentConflict c ? ProblemException.conflict(c.getMessage()) : error;
  }
}
