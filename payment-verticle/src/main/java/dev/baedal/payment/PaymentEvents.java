package dev.baedal.payment;

import dev.baedal.contract.EventType;
import dev.baedal.platform.events.CloudEvent;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/** The events the payment context publishes on {@code payment-events}. */
final class PaymentEvents {
  static final String SOURCE = "/payment";
  static final String AUTHORIZED = EventType.PAYMENT_AUTHORIZED.wire();
  static final String REFUNDED = EventType.PAYMENT_REFUNDED.wire();
  static final String ADJUSTED = EventType.PAYMENT_ADJUSTED.wire();

  private PaymentEvents() {}

  static CloudEvent authorized(UUID paymentId, UUID orderId, String customerId, int amount) {
    return CloudEvent.of(
        SOURCE,
        AUTHORIZED,
        orderId.toString(),
        new JsonObject()
            .put("orderId", orderId.toString())
            .put("paymentId", paymentId.toString())
            .put("customerId", customerId)
            .put("amount", amount));
  }

  static CloudEvent adjusted(Payment p, UUID modificationId, int delta, int newAmount) {
    return CloudEvent.of(
        SOURCE,
        ADJUSTED,
        p.orderId().toString(),
        new JsonObject()
            .put("orderId", p.orderId().toString())
            .put("paymentId", p.paymentId().toString())
            .put("customerId", p.customerId())
            .put("modificationId", modificationId.toString())
            .put("delta", delta)
            .put("amount", newAmount));
  }

  static CloudEvent refunded(
      UUID refundId, UUID paymentId, UUID orderId, int amount, int refundedTotal, String reason) {
    return CloudEvent.of(
        SOURCE,
        REFUNDED,
        orderId.toString(),
        new JsonObject()
            .put("orderId", orderId.toString())
            .put("paymentId", paymentId.toString())
            .put("refundId", refundId.toString())
            .put("amount", amount)
            .put("refundedTotal", refundedTotal)
            .put("reason", reason));
  }
}
