package dev.baedal.contract.events;

import dev.baedal.contract.EventType;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * {@code payment.adjusted}: a change of items that costs more was charged the difference.
 *
 * @param delta what was charged, in won
 * @param amount the payment's amount now, in won
 */
public record PaymentAdjusted(
    UUID orderId, UUID paymentId, String customerId, String modificationId, int delta, int amount)
    implements Payload {
  public static PaymentAdjusted of(JsonObject d) {
    return new PaymentAdjusted(
        Fields.uuid(d, "orderId"),
        Fields.uuid(d, "paymentId"),
        d.getString("customerId"),
        d.getString("modificationId"),
        Fields.integer(d, "delta"),
        Fields.integer(d, "amount"));
  }

  @Override
  public EventType type() {
    return EventType.PAYMENT_ADJUSTED;
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("orderId", orderId.toString())
        .put("paymentId", paymentId.toString())
        .put("customerId", customerId)
        .put("modificationId", modificationId)
        .put("delta", delta)
        .put("amount", amount);
  }
}
