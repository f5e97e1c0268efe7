package dev.baedal.store;

/**
 * An owner's action the store order cannot take in its status (accepting an order twice, say). The
 * store verticle answers it as a {@code 409} problem whose {@code detail} is the message ({@link
 * StoreProblems}).
 */
final class StoreOrderConflict extends RuntimeException {
  private static final long serialVersionUID = 1L;

  StoreOrderConflict(String detail) {
    super(detail, null, false, false);
  }
}
