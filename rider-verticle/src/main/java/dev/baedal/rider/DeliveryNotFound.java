package dev.baedal.rider;

import java.util.UUID;

/** Not the asking rider's delivery (whether it exists is not theirs to know): a {@code 404}. */
final class DeliveryNotFound extends RuntimeException {
  private static final long serialVersionUID = 1L;

  DeliveryNotFound(UUID orderId) {
    super("you have no delivery " + orderId, null, false, false);
  }
}
