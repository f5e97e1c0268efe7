package dev.baedal.payment;

import dev.baedal.contract.events.Payload;
import dev.baedal.contract.events.PaymentAdjusted;
import dev.baedal.contract.events.PaymentAuthorized;
import dev.baedal.contract.events.PaymentRefunded;
import dev.baedal.platform.events.CloudEvent;
import java.time.Instant;
import java.util.UUID;

/** The events the payment context publishes on {@code payment-events}, as of when they are made. */
final class PaymentEvents {
  static final String SOURCE = "/payment";

  private PaymentEvents() {}

  static CloudEvent authorized(UUID paymentId, UUID orderId, String customerId, int amount) {
    return event(orderId, new PaymentAuthorized(orderId, paymentId, customerId, amount));
  }

  static CloudEvent adjusted(Payment p, UUID modificationId, int delta, int newAmount) {
    return event(
        p.orderId(),
        new PaymentAdjusted(
            p.orderId(),
            p.paymentId(),
            p.customerId(),
            modificationId.toString(),
            delta,
            newAmount));
  }

  static CloudEvent refunded(
      UUID refundId, UUID paymentId, UUID orderId, int amount, int refundedTotal, String reason) {
    return event(
        orderId, new PaymentRefunded(orderId, paymentId, refundId, amount, refundedTotal, reason));
  }

  private static CloudEvent event(UUID orderId, Payload data) {
    return data.event(SOURCE, orderId.toString(), Instant.now());
  }
}
