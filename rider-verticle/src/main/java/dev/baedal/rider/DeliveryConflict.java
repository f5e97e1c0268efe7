package dev.baedal.rider;

import dev.baedal.platform.events.Refusal;

/**
 * A rider's action the delivery cannot take in its status (claiming one already taken, say),
 * answered as a {@code 409}.
 */
final class DeliveryConflict extends Refusal {
  private static final long serialVersionUID = 1L;

  DeliveryConflict(String detail) {
    this(detail, false);
  }

  private DeliveryConflict(String detail, boolean underWay) {
    super(Kind.CONFLICT, detail, underWay);
  }

  /**
   * A refusal that may be out of date: this context may not have heard yet of what makes the action
   * possible (the store finished cooking, say), so the action waits for it a moment.
   */
  static DeliveryConflict underWay(String detail) {
    return new DeliveryConflict(detail, true);
  }
}
