package dev.baedal.launcher;

import static dev.baedal.launcher.TestSystem.GOOD_CARD;
import static dev.baedal.launcher.TestSystem.chickenOrder;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input gets the contract's 4xx problem JSON, never a 500, and changes nothing. */
class BadInputTest {
  private static TestSystem system;
  private static String kim;

  @BeforeAll
  static void start() {
    system = TestSystem.start();
    kim = system.login("kim");
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  static Stream<Arguments> badOrders() {
    return Stream.of(
        Arguments.of("malformed JSON", "{\"storeId\": \"store-1\", ", 400),
        Arguments.of("a JSON array", "[1, 2]", 400),
        Arguments.of("an empty body", "", 400),
        Arguments.of("no storeId", without("storeId"), 400),
        Arguments.of("no items", without("items"), 400),
        Arguments.of("empty items", with("items", new JsonArray()), 400),
        Arguments.of("no deliveryAddress", without("deliveryAddress"), 400),
        Arguments.of("no payment", without("payment"), 400),
        Arguments.of("quantity 0", items("chicken-fried", 0), 400),
        Arguments.of("quantity 100", items("chicken-fried", 100), 400),
        Arguments.of("quantity -1", items("chicken-fried", -1), 400),
        Arguments.of("quantity 1.5", items("chicken-fried", 1.5), 400),
        Arguments.of("quantity as a string", items("chicken-fried", "2"), 400),
        Arguments.of(
            "a huge quantity",
            items("chicken-fried", new java.math.BigInteger("99999999999999999999999")),
            400),
        Arguments.of("storeId a number", with("storeId", 1), 400),
        Arguments.of("express a string", with("express", "yes"), 400),
        Arguments.of(
            "latitude out of range",
            with(
                "deliveryAddress",
                new JsonObject().put("text", "x").put("lat", 91).put("lng", 127)),
            400),
        Arguments.of(
            "card too short",
            with("payment", new JsonObject().put("method", "CARD").put("cardNumber", "4242")),
            400),
        Arguments.of(
            "card failing Luhn",
            with(
                "payment",
                new JsonObject().put("method", "CARD").put("cardNumber", "4242424242424241")),
            400),
        Arguments.of(
            "payment method CASH",
            with("payment", new JsonObject().put("method", "CASH").put("cardNumber", GOOD_CARD)),
            400),
        Arguments.of(
            "a 1 MiB body",
            with(
                "deliveryAddress",
                new JsonObject()
                    .put("text", "x".repeat(1024 * 1024))
                    .put("lat", 37.5)
                    .put("lng", 127)),
            400),
        Arguments.of("an unknown store", with("storeId", "store-404"), 404),
        Arguments.of("an unknown menu item", items("no-such-dish", 1), 404),
        Arguments.of("a menu item of another store", items("bibimbap-dolsot", 1), 422));
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @MethodSource("badOrders")
  @DisplayName("a bad order gets its 4xx problem and no order is created")
  void badOrder(String what, String body, int status) {
    long orders = system.count("select count(*) from order_svc.orders");
    long payments = system.count("select count(*) from payment_svc.payments");

    TestSystem.Response r =
        system.send("POST", "/api/orders", kim, body, UUID.randomUUID().toString());

    assertProblem(r, status);
    assertThat(system.count("select count(*) from order_svc.orders")).isEqualTo(orders);
    assertThat(system.count("select count(*) from payment_svc.payments")).isEqualTo(payments);
  }

  @Test
  @DisplayName("an order without an Idempotency-Key is refused with 400")
  void missingIdempotencyKey() {
    assertProblem(
        system.send("POST", "/api/orders", kim, chickenOrder(GOOD_CARD).encode(), null), 400);
  }

  @Test
  @DisplayName("no token, a forged token and the wrong role get 401, 401 and 403")
  void authentication() {
    String body = chickenOrder(GOOD_CARD).encode();
    assertProblem(system.send("POST", "/api/orders", null, body, "k"), 401);
    String forged = kim.substring(0, kim.lastIndexOf('.') + 1) + "c2lnbmF0dXJl";
    assertProblem(system.send("POST", "/api/orders", forged, body, "k"), 401);
    assertProblem(system.send("POST", "/api/orders", system.login("rider-1"), body, "k"), 403);
    assertProblem(system.get("/api/stores", "not-a-jwt"), 401);
  }

  @Test
  @DisplayName("a wrong password gets 401 and a malformed login 400")
  void login() {
    assertProblem(
        system.send(
            "POST", "/api/auth/login", null, "{\"username\":\"kim\",\"password\":\"nope\"}", null),
        401);
    assertProblem(
        system.send(
            "POST", "/api/auth/login", null, "{\"username\":\"nobody\",\"password\":\"x\"}", null),
        401);
    assertProblem(system.send("POST", "/api/auth/login", null, "{\"username\": 5}", null), 400);
    assertProblem(system.send("POST", "/api/auth/login", null, "{nope", null), 400);
  }

  @Test
  @DisplayName("an unknown route gets a 404 problem")
  void unknownRoute() {
    assertProblem(system.get("/api/nothing-here", kim), 404);
    assertProblem(system.get("/nothing-here", null), 404);
  }

  private static void assertProblem(TestSystem.Response r, int status) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
    JsonObject problem = r.json();
    assertThat(problem.getInteger("status")).isEqualTo(status);
    assertThat(problem.getString("title")).isNotBlank();
    assertThat(problem.getString("detail")).isNotBlank();
    assertThat(problem.getString("type")).isNotBlank();
    assertThat(problem.getString("instance")).startsWith("/");
  }

  private static String without(String field) {
    JsonObject o = chickenOrder(GOOD_CARD);
    o.remove(field);
    return o.encode();
  }

  private static String with(String field, Object value) {
    return chickenOrder(GOOD_CARD).put(field, value).encode();
  }

  private static String items(String menuId, Object quantity) {
    return with(
        "items",
        new JsonArray().add(new JsonObject().put("menuId", menuId).put("quantity", quantity)));
  }
}
