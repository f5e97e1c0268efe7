package dev.baedal.gateway;

import dev.baedal.platform.CardSeal;
import dev.baedal.platform.http.ProblemException;
import dev.baedal.platform.http.Violation;
import io.vertx.core.json.JsonObject;

/**
 * Where card numbers stop: an order's {@code payment.cardNumber} (16 digits, as the OpenAPI
 * document already checked) must pass the Luhn check, and is then replaced by its seal ({@link
 * CardSeal}), so that only the payment context, which holds the key, ever sees the number again.
 */
final class PaymentCards {
  private final CardSeal seal;

  PaymentCards(CardSeal seal) {
    this.seal = seal;
  }

  /**
   * The order body as it goes on the event bus: {@code payment: {method, card: {sealed, last4,
   * fingerprint}}}, without the number.
   *
   * @throws ProblemException 400 naming {@code /payment/cardNumber} if it is not a card number
   */
  JsonObject sealed(JsonObject body) {
    JsonObject copy = body.copy();
    if (!(copy.getValue("payment") instanceof JsonObject payment)) {
      return copy; // the order context names what is missing
    }
    Object number = payment.remove("cardNumber");
    if (number == null) {
      return copy;
    }
    if (!(number instanceof String digits)
        || !digits.matches("\\d{16}")
        || !CardSeal.luhn(digits)) {
      throw ProblemException.invalid(Violation.pointer("/payment/cardNumber", Violation.A_CARD));
    }
    payment.put("card", seal.seal(digits));
    return copy;
  }
}
