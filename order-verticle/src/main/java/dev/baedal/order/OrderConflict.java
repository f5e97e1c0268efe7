package dev.baedal.order;

/**
 * A command the order cannot take in its current state. The order verticle answers it as a {@code
 * 409} problem whose {@code detail} is the message ({@link OrderProblems}).
 */
final class OrderConflict extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean underWay;

  private OrderConflict(String detail, boolean underWay) {
    super(detail, null, false, false);
    this.underWay = underWay;
  }

  static OrderConflict of(String detail) {
    return new OrderConflict(detail, false);
  }

  /**
   * A refusal that may be out of date: the order is under way and this context may not have heard
   * yet of what makes the command possible (answered as a {@code NotYetException} the caller may
   * wait on).
   */
  static OrderConflict underWay(String detail) {
    return new OrderConflict(detail, true);
  }

  boolean isUnderWay() {
    return underWay;
  }
}
