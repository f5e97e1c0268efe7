package dev.baedal.contract;

/** What a customer sees of an order (contract section 4). */
public enum OrderStatus {
  PAID,
  ACCEPTED,
  COOKING,
  COOKED,
  RIDER_ASSIGNED,
  PICKED_UP,
  DELIVERED,
  COMPLETED,
  REJECTED,
  CANCEL_REQUESTED,
  CANCELLED
}
