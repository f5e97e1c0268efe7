package dev.baedal.rider;

/**
 * A rider's action the delivery cannot take in its status (claiming one already taken, say). The
 * rider verticle answers it as a {@code 409} problem whose {@code detail} is the message ({@link
 * RiderProblems}).
 */
final class DeliveryConflict extends RuntimeException {
  private static final long serialVersionUID = 1L;

  DeliveryConflict(String detail) {
    super(detail, null, false, false);
  }
}
