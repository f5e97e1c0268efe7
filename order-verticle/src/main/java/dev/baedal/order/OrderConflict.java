package dev.baedal.order;

import dev.baedal.platform.events.Refusal;

/** A command the order cannot take in its current state (answered as a {@code 409}). */
final class OrderConflict extends Refusal {
  private static final long serialVersionUID = 1L;

  private OrderConflict(String detail, boolean underWay) {
    super(Kind.CONFLICT, detail, underWay);
  }

  static OrderConflict of(String detail) {
    return new OrderConflict(detail, false);
  }

  /**
   * A refusal that may be out of date: the order is under way and this context may not have heard
   * yet of what makes the command possible, so the command waits for it a moment.
   */
  static OrderConflict underWay(String detail) {
    return new OrderConflict(detail, true);
  }
}
