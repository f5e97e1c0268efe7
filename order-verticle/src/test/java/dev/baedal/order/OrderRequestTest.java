package dev.baedal.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.baedal.platform.http.ProblemException;
import dev.baedal.platform.http.Violation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OrderRequestTest {
  private static JsonObject good() {
    return new JsonObject()
        .put("storeId", "store-1")
        .put(
            "items",
            new JsonArray().add(new JsonObject().put("menuId", "chicken-fried").put("quantity", 2)))
        .put(
            "deliveryAddress",
            new JsonObject().put("text", "서울 강남구 테헤란로 152").put("lat", 37.5).put("lng", 127.03))
        .put("express", false)
        .put("payment", new JsonObject().put("method", "CARD").put("card", SEALED.copy()));
  }

  /** A card as the gateway seals it (only the payment context opens it). */
  private static final JsonObject SEALED =
      new JsonObject().put("sealed", "v1.AAAA").put("last4", "4242").put("fingerprint", "ab12");

  private static ProblemException refused(JsonObject body) {
    return catchThrowableOfType(ProblemException.class, () -> OrderRequest.parse(body));
  }

  @Test
  @DisplayName("a good body parses")
  void good_parses() {
    OrderRequest r = OrderRequest.parse(good());
    assertThat(r.items()).containsExactly(new OrderRequest.Line("chicken-fried", 2));
    assertThat(r.card()).isEqualTo(SEALED);
  }

  @Test
  @DisplayName("every violation of a body is listed at once, each at its JSON Pointer")
  void everyViolationAtOnce() {
    JsonObject body = good();
    body.remove("storeId");
    body.getJsonArray("items")
        .add(new JsonObject().put("menuId", "cola").put("quantity", 100))
        .add(new JsonObject().put("quantity", "2"));
    body.getJsonObject("deliveryAddress").remove("lat");
    body.getJsonObject("deliveryAddress").put("phone", "call me");
    body.put("express", "yes");
    body.getJsonObject("payment").put("method", "CASH").put("cardNumber", "1234");

    ProblemException p = refused(body);

    assertThat(p.status()).isEqualTo(400);
    assertThat(p.violations())
        .containsExactly(
            Violation.pointer("/storeId", "is required"),
            Violation.pointer("/items/1/quantity", "must be between 1 and 99"),
            Violation.pointer("/items/2/menuId", "is required"),
            Violation.pointer("/items/2/quantity", "must be an integer"),
            Violation.pointer("/deliveryAddress/lat", "is required"),
            Violation.pointer("/deliveryAddress/phone", "must be a phone number"),
            Violation.pointer("/express", "must be true or false"),
            Violation.pointer("/payment/method", "must be one of: CARD"),
            Violation.pointer("/payment/cardNumber", "must be 16 digits that pass the Luhn check"));
    assertThat(p.detail())
        .startsWith("storeId is required; items[1].quantity must be between 1 and 99;");
  }

  @Test
  @DisplayName("a card number in clear is refused (the gateway seals it), and so is no card")
  void onlySealedCards() {
    JsonObject clear = good();
    clear.getJsonObject("payment").remove("card");
    clear.getJsonObject("payment").put("cardNumber", "4242424242424242");
    assertThat(refused(clear).violations())
        .containsExactly(
            Violation.pointer("/payment/cardNumber", "must be 16 digits that pass the Luhn check"));
    JsonObject none = good();
    none.getJsonObject("payment").remove("card");
    assertThat(refused(none).violations())
        .containsExactly(Violation.pointer("/payment/cardNumber", "is required"));
  }

  @Test
  @DisplayName("a retry is told from another order by the card's fingerprint, not its seal")
  void fingerprintUsesTheCardsFingerprint() {
    JsonObject again = good();
    again.getJsonObject("payment").getJsonObject("card").put("sealed", "v1.BBBB");
    assertThat(OrderRequest.parse(again).fingerprint())
        .isEqualTo(OrderRequest.parse(good()).fingerprint());
    JsonObject other = good();
    other.getJsonObject("payment").getJsonObject("card").put("fingerprint", "cd34");
    assertThat(OrderRequest.parse(other).fingerprint())
        .isNotEqualTo(OrderRequest.parse(good()).fingerprint());
  }

  @Test
  @DisplayName("the items of a change are checked the same way")
  void modificationLines() {
    ProblemException empty =
        catchThrowableOfType(
            ProblemException.class, () -> OrderRequest.lines(new JsonArray(), "items"));
    assertThat(empty.violations())
        .containsExactly(Violation.pointer("/items", "must not be empty"));
    ProblemException missing =
        catchThrowableOfType(ProblemException.class, () -> OrderRequest.lines(null, "items"));
    assertThat(missing.violations()).containsExactly(Violation.pointer("/items", "is required"));
  }
}
