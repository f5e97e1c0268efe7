package dev.baedal.rider;

/**
 * A rider's action the delivery cannot take in its status (claiming one already taken, say). The
 * rider verticle answers it as a {@code 409} problem whose {@code detail} is the message ({@link
 * RiderProblems}).
 */
final class DeliveryConflict extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean underWay;

  DeliveryConflict(String detail) {
    this(detail, false);
  }

  private DeliveryConflict(String detail, boolean underWay) {
    super(detail, null, false, false);
    this.underWay = underWay;
  }

  /**
   * A refusal that may be out of date: this context may not have heard yet of what makes the action
   * possible (the store finished cooking, say). It is answered as a {@code NotYetException}, which
   * the command waits on for a moment.
   */
  static DeliveryConflict underWay(String detail) {
    return new DeliveryConflict(detail, true);
  }

  boolean isUnderWay() {
    return underWay;
  }
}
