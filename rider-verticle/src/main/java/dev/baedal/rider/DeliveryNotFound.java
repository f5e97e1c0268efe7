package dev.baedal.rider;

import dev.baedal.platform.events.Refusal;
import java.util.UUID;

/** Not the asking rider's delivery (whether it exists is not theirs to know): a {@code 404}. */
final class DeliveryNotFound extends Refusal {
  private static final long serialVersionUID = 1L;

  DeliveryNotFound(UUID orderId) {
    super(Kind.NOT_FOUND, "you have no delivery " + orderId, false);
  }
}
