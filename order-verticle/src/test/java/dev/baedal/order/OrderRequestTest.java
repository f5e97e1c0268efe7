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
        .put(
            "payment",
            new JsonObject().put("method", "CARD").put("cardNumber", "4242424242424242"));
  }

  private static ProblemException refused(JsonObject body) {
    return catchThrowableOfType(ProblemException.class, () -> OrderRequest.parse(body));
  }

  @Test
  @DisplayName("a good body parses")
  void good_parses() {
    OrderRequest r = OrderRequest.parse(good());
    assertThat(r.items()).containsExactly(new OrderRequest.Line("chicken-fried", 2));
    assertThat(r.cardNumber()).isEqualTo("4242424242424242");
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
  @DisplayName("a card that fails the Luhn check is named like one that is not 16 digits")
  void luhn() {
    JsonObject body = good();
    body.getJsonObject("payment").put("cardNumber", "4242424242424241");
    assertThat(refused(body).violations())
        .containsExactly(
            Violation.pointer("/payment/cardNumber", "must be 16 digits that pass the Luhn check"));
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
