package dev.baedal.contract.events;

import dev.baedal.contract.EventType;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * {@code payment.authorized}: the order was paid; no order exists without one.
 *
 * @param amount in won
 */
public record PaymentAuthorized(UUID orderId, UUID paymentId, String customerId, int amount)
    implements Payload {
  public static PaymentAuthorized of(JsonObject d) {
    return new PaymentAuthorized(
        Fields.uuid(d, "orderId"),
        Fields.uuid(d, "paymentId"),
        d.getString("customerId"),
        Fields.integer(d, "amount"));
  }

  @Override
  public EventType type() {
    return EventType.PAYMENT_AUTHORIZED;
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("orderId", orderId.toString())
        .put("paymentId", paymentId.toString())
        .put("customerId", customerId)
        .put("amount", amount);
  }
}
