package dev.baedal.payment;

import dev.baedal.contract.Won;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/** What the authorization and the adjustment intents answer the order context. */
final class PaymentAnswers {
  private PaymentAnswers() {}

  /** What a settlement answers when the intent was voided first: a 409 once committed. */
  static final JsonObject VOIDED = new JsonObject().put("status", "VOIDED");

  static Future<JsonObject> failIfVoided(JsonObject answer) {
    return answer == VOIDED ? Future.failedFuture(voided()) : Future.succeededFuture(answer);
  }

  static Future<JsonObject> resumeSettled(Payment p) {
    return switch (p.status()) {
      case AUTHORIZED -> Future.succeededFuture(authorized(p.paymentId(), p.amount()));
      case DECLINED -> Future.succeededFuture(declined());
      default -> Future.failedFuture(voided());
    };
  }

  static PaymentConflict voided() {
    return new PaymentConflict("the payment for this order was voided");
  }

  static JsonObject declined() {
    return new JsonObject()
        .put("status", "DECLINED")
        .put("reason", "the card issuer declined the payment");
  }

  static JsonObject authorized(UUID paymentId, Won amount) {
    return new JsonObject()
        .put("status", "AUTHORIZED")
        .put("paymentId", paymentId.toString())
        .put("amount", amount.value());
  }
}
