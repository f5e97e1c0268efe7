package dev.baedal.payment;

import dev.baedal.contract.Won;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.util.UUID;

/**
 * A payment: one per order id, from the intent (PENDING, recorded before the card network is asked)
 * to AUTHORIZED or DECLINED, and VOIDED when its order never came to be. It is bound once its order
 * is known to exist; until then it is reserved for a while after each authorization, and the
 * reconciler voids it when the reservation runs out and the order context confirms there is no
 * order.
 */
record Payment(
    UUID paymentId,
    UUID orderId,
    String customerId,
    Won amount,
    Won refunded,
    Status status,
    boolean bound,
    Instant reservedUntil) {

  enum Status {
    PENDING,
    AUTHORIZED,
    DECLINED,
    VOIDED
  }

  static Payment of(Row r) {
    return new Payment(
        r.getUUID("payment_id"),
        r.getUUID("order_id"),
        r.getString("customer_id"),
        Won.of(r.getInteger("amount")),
        Won.of(r.getInteger("refunded")),
        Status.valueOf(r.getString("status")),
        r.getBoolean("bound"),
        r.getOffsetDateTime("reserved_until") == null
            ? null
            : r.getOffsetDateTime("reserved_until").toInstant());
  }

  /** What is still charged: refunds (including a void's) come off it. */
  Won open() {
    return amount.minus(refunded);
  }

  /** What a refund of {@code asked} gives back: never more than is still charged. */
  Won refundable(Won asked) {
    return asked.atMost(open());
  }
}
