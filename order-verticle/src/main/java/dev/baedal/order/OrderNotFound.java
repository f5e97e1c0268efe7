package dev.baedal.order;

import dev.baedal.platform.events.Refusal;
import java.util.UUID;

/** No such order, or not the asking customer's (answered as a {@code 404}). */
final class OrderNotFound extends Refusal {
  private static final long serialVersionUID = 1L;

  OrderNotFound(UUID orderId) {
    super(Kind.NOT_FOUND, "there is no order " + orderId, false);
  }
}
