package dev.baedal.payment;

import dev.baedal.platform.events.Refusal;

/**
 * A request the payment cannot take in its state (voided, or no payment to charge more on),
 * answered as a {@code 409}.
 */
final class PaymentConflict extends Refusal {
  private static final long serialVersionUID = 1L;

  PaymentConflict(String detail) {
    super(Kind.CONFLICT, detail, false);
  }
}
