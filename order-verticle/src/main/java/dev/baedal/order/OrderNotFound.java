package dev.baedal.order;

import java.util.UUID;

/** No such order, or not the asking customer's: answered as a {@code 404} problem. */
final class OrderNotFound extends RuntimeException {
  private static final long serialVersionUID = 1L;

  OrderNotFound(UUID orderId) {
    super("there is no order " + orderId, null, false, false);
  }
}
