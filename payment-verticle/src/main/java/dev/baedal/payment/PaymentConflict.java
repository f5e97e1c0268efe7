package dev.baedal.payment;

/**
 * A request the payment cannot take in its state (voided, or no payment to charge more on). The
 * payment verticle answers it as a {@code 409} problem whose {@code detail} is the message.
 */
final class PaymentConflict extends RuntimeException {
  private static final long serialVersionUID = 1L;

  PaymentConflict(String detail) {
    super(detail, null, false, false);
  }
}
