package dev.baedal.store;

import dev.baedal.platform.events.Refusal;

/**
 * An owner's action the store order cannot take in its status (accepting an order twice, say),
 * answered as a {@code 409}.
 */
final class StoreOrderConflict extends Refusal {
  private static final long serialVersionUID = 1L;

  StoreOrderConflict(String detail) {
    super(Kind.CONFLICT, detail, false);
  }
}
