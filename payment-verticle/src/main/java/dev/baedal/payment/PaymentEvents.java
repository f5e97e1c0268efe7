package dev.baedal.payment;

import dev.baedal.contract.Won;
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

  static CloudEvent authorized(UUID paymentId, UUID orderId, String customerId, Won amount) {
    return event(orderId, new PaymentAuthorized(orderId, paymentId, customerId, amount.value()));
  }

  static CloudEvent adjusted(Payment p, UUID modificationId, Won delta, Won newAmount) {
    return event(
        p.orderId(),
        new PaymentAdjusted(
            p.orderId(),
            p.paymentId(),
            p.customerId(),
            modificationId.toString(),
            delta.value(),
            newAmount.value()));
  }

  static CloudEvent refunded(
      UUID refundId, UUID paymentId, UUID orderId, Won amount, Won refundedTotal, String reason) {
    return event(
        orderId,
        new PaymentRefunded(
            orderId, paymentId, refundId, amount.value(), refundedTotal.value(), reason));
  }

  private static CloudEvent event(UUID orderId, Payload data) {
    return data.event(SOURCE, orderId.toString(), Instant.now());
  }
}
