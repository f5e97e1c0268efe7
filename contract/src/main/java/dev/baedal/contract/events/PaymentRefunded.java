package dev.baedal.contract.events;

import dev.baedal.contract.EventType;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * {@code payment.refunded}: money went back to the customer (a rejection, a cancel, a cheaper
 * change of items, a payment without an order).
 *
 * @param amount this refund, in won
 * @param refundedTotal all refunds of the payment so far, in won
 */
public record PaymentRefunded(
    UUID orderId, UUID paymentId, UUID refundId, int amount, int refundedTotal, String reason)
    implements Payload {
  public static PaymentRefunded of(JsonObject d) {
    return new PaymentRefunded(
        Fields.uuid(d, "orderId"),
        Fields.uuid(d, "paymentId"),
        Fields.uuid(d, "refundId"),
        Fields.integer(d, "amount"),
        Fields.integer(d, "refundedTotal"),
        d.getString("reason"));
  }

  @Override
  public EventType type() {
    return EventType.PAYMENT_REFUNDED;
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("orderId", orderId.toString())
        .put("paymentId", paymentId.toString())
        .put("refundId", refundId.toString())
        .put("amount", amount)
        .put("refundedTotal", refundedTotal)
        .put("reason", reason);
  }
}
