package dev.baedal.systemtests;

import static dev.baedal.systemtests.TestSystem.GOOD_CARD;
import static dev.baedal.systemtests.TestSystem.chickenOrder;
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

/**
 * Bad input gets the contract's 4xx problem JSON, never a 500, and changes nothing; a 400 or 422
 * says what is wrong: {@code errors} lists every violation by JSON Pointer, header or parameter.
 */
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
  @DisplayName("an order without an Idempotency-Key is refused with 400 naming the header")
  void missingIdempotencyKey() {
    TestSystem.Response r =
        system.send("POST", "/api/orders", kim, chickenOrder(GOOD_CARD).encode(), null);
    assertProblem(r, 400);
    assertThat(r.json().getJsonArray("errors"))
        .containsExactly(error("header", "Idempotency-Key", "is required"));
    assertThat(r.json().getString("detail")).isEqualTo("the Idempotency-Key header is required");
  }

  static Stream<Arguments> namedViolations() {
    String longText = "x".repeat(301);
    JsonArray manyLines = new JsonArray();
    for (int i = 0; i < 51; i++) {
      manyLines.add(new JsonObject().put("menuId", "cola").put("quantity", 1));
    }
    JsonObject noLat = chickenOrder(GOOD_CARD);
    noLat.getJsonObject("deliveryAddress").remove("lat");
    return Stream.of(
        Arguments.of("no storeId", without("storeId"), 400, ptr("/storeId", "is required")),
        Arguments.of(
            "quantity 100",
            items("chicken-fried", 100),
            400,
            ptr("/items/0/quantity", "must be between 1 and 99")),
        Arguments.of(
            "quantity 1.5",
            items("chicken-fried", 1.5),
            400,
            ptr("/items/0/quantity", "must be an integer")),
        Arguments.of(
            "malformed JSON", "{\"storeId\": \"store-1\", ", 400, ptr("", "is not valid JSON")),
        Arguments.of("an empty body", "", 400, ptr("", "is required")),
        Arguments.of("a JSON array", "[1, 2]", 400, ptr("", "must be an object")),
        Arguments.of(
            "card 1234",
            with("payment", new JsonObject().put("method", "CARD").put("cardNumber", "1234")),
            400,
            ptr("/payment/cardNumber", "must be 16 digits that pass the Luhn check")),
        Arguments.of(
            "a card failing the Luhn check",
            with(
                "payment",
                new JsonObject().put("method", "CARD").put("cardNumber", "4242424242424241")),
            400,
            ptr("/payment/cardNumber", "must be 16 digits that pass the Luhn check")),
        Arguments.of("no lat", noLat.encode(), 400, ptr("/deliveryAddress/lat", "is required")),
        Arguments.of(
            "latitude 91",
            with(
                "deliveryAddress",
                new JsonObject().put("text", "x").put("lat", 91).put("lng", 127)),
            400,
            ptr("/deliveryAddress/lat", "must be between -90 and 90")),
        Arguments.of(
            "an address of 301 characters",
            with(
                "deliveryAddress",
                new JsonObject().put("text", longText).put("lat", 37.5).put("lng", 127)),
            400,
            ptr("/deliveryAddress/text", "must be at most 300 characters long")),
        Arguments.of(
            "express a string",
            with("express", "yes"),
            400,
            ptr("/express", "must be true or false")),
        Arguments.of(
            "storeId a number", with("storeId", 1), 400, ptr("/storeId", "must be a string")),
        Arguments.of(
            "empty items", with("items", new JsonArray()), 400, ptr("/items", "must not be empty")),
        Arguments.of(
            "51 lines",
            with("items", manyLines),
            400,
            ptr("/items", "must have at most 50 entries")),
        Arguments.of(
            "payment method CASH",
            with("payment", new JsonObject().put("method", "CASH").put("cardNumber", GOOD_CARD)),
            400,
            ptr("/payment/method", "must be one of: CARD")),
        Arguments.of(
            "a menu item of another store",
            items("bibimbap-dolsot", 1),
            422,
            ptr("/items/0/menuId", "is not sold by this store")),
        Arguments.of(
            "an unknown menu item",
            items("no-such-dish", 1),
            404,
            ptr("/items/0/menuId", "is not a menu item")),
        Arguments.of(
            "an unknown store",
            with("storeId", "store-404"),
            404,
            ptr("/storeId", "is not a store")));
  }

  @ParameterizedTest(name = "{0} -> {2} {3}")
  @MethodSource("namedViolations")
  @DisplayName("a refused order names what is wrong with it under errors and in its detail")
  void namesTheViolation(String what, String body, int status, JsonObject expected) {
    TestSystem.Response r =
        system.send("POST", "/api/orders", kim, body, UUID.randomUUID().toString());

    assertProblem(r, status);
    assertThat(r.json().getJsonArray("errors")).contains(expected);
    String field = expected.getString("pointer");
    // a 400 names the field; a 404 or 422 the value that is unknown or not sold there
    String named =
        status != 400
            ? String.valueOf(
                io.vertx.core.json.pointer.JsonPointer.from(field).queryJson(new JsonObject(body)))
            : field.isEmpty()
                ? "the request body"
                : field.substring(1).replaceAll("/(\\d+)", "[$1]").replace('/', '.');
    assertThat(r.json().getString("detail")).contains(named);
  }

  @Test
  @DisplayName("every violation of an order is listed at once: header, body fields, values")
  void everyViolationAtOnce() {
    JsonObject body = chickenOrder(GOOD_CARD);
    body.getJsonArray("items").getJsonObject(0).put("quantity", 100);
    body.getJsonObject("deliveryAddress").remove("lat");
    body.remove("storeId");

    TestSystem.Response r = system.send("POST", "/api/orders", kim, body.encode(), null);

    assertProblem(r, 400);
    assertThat(r.json().getJsonArray("errors"))
        .containsExactlyInAnyOrder(
            error("header", "Idempotency-Key", "is required"),
            ptr("/storeId", "is required"),
            ptr("/items/0/quantity", "must be between 1 and 99"),
            ptr("/deliveryAddress/lat", "is required"));
  }

  static Stream<Arguments> badParameters() {
    String tooLong = "x".repeat(65);
    return Stream.of(
        Arguments.of(
            "rider-1", "/api/rider/deliveries?lng=127", error("parameter", "lat", "is required")),
        Arguments.of(
            "rider-1",
            "/api/rider/deliveries?lat=north&lng=127",
            error("parameter", "lat", "must be a number")),
        Arguments.of(
            "rider-1",
            "/api/rider/deliveries?lat=91&lng=127",
            error("parameter", "lat", "must be between -90 and 90")),
        Arguments.of(
            "kim",
            "/api/orders/" + tooLong,
            error("parameter", "orderId", "must be at most 64 characters long")),
        Arguments.of(
            "store-1",
            "/api/store/orders?status=RIDER_ASSIGNED",
            error(
                "parameter",
                "status",
                "must be one of: NEW, PAID, ACCEPTED, REJECTED, COOKING, COOKED, PICKED_UP,"
                    + " DELIVERED, COMPLETED, CANCELLED")));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badParameters")
  @DisplayName("a bad query or path parameter is named under errors")
  void namesTheParameter(String user, String path, JsonObject expected) {
    TestSystem.Response r = system.get(path, system.login(user));
    assertProblem(r, 400);
    assertThat(r.json().getJsonArray("errors")).containsExactly(expected);
  }

  @Test
  @DisplayName("the store's orders can be filtered by PAID, what customers see of NEW")
  void storeOrdersByCustomerStatus() {
    system.placeAs(kim, chickenOrder(GOOD_CARD));
    String store = system.login("store-1");
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .until(() -> !system.get("/api/store/orders?status=NEW", store).array().isEmpty());
    TestSystem.Response paid = system.get("/api/store/orders?status=PAID", store);
    assertThat(paid.status()).as(paid.body()).isEqualTo(200);
    assertThat(paid.array()).isNotEmpty();
    assertThat(paid.array().stream().map(o -> ((JsonObject) o).getString("status")))
        .containsOnly("NEW");
  }

  @Test
  @DisplayName("a claim without a position and a store switch that is not a boolean are named")
  void bodiesOfOtherCommands() {
    TestSystem.Response claim =
        system.post(
            "/api/rider/deliveries/" + UUID.randomUUID() + "/claim",
            system.login("rider-1"),
            new JsonObject());
    assertProblem(claim, 400);
    assertThat(claim.json().getJsonArray("errors"))
        .containsExactly(ptr("/lat", "is required"), ptr("/lng", "is required"));
    TestSystem.Response open =
        system.send("PUT", "/api/store/open", system.login("store-1"), "{\"open\":\"yes\"}", null);
    assertProblem(open, 400);
    assertThat(open.json().getJsonArray("errors"))
        .containsExactly(ptr("/open", "must be true or false"));
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
    TestSystem.Response badLogin =
        system.send("POST", "/api/auth/login", null, "{\"username\": 5}", null);
    assertProblem(badLogin, 400);
    assertThat(badLogin.json().getJsonArray("errors"))
        .containsExactlyInAnyOrder(
            ptr("/username", "must be a string"), ptr("/password", "is required"));
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
    if (status == 400 || status == 422) {
      // says what is wrong: every entry names a place and what is wrong there
      assertThat(problem.getString("detail")).isNotEqualTo("Bad Request");
      JsonArray errors = problem.getJsonArray("errors");
      assertThat(errors).as(r.body()).isNotEmpty();
      for (Object e : errors) {
        JsonObject entry = (JsonObject) e;
        assertThat(entry.fieldNames()).hasSize(2).contains("detail");
        assertThat(entry.getString("detail")).isNotBlank();
        assertThat(
                Stream.of("pointer", "header", "parameter")
                    .filter(k -> entry.getValue(k) instanceof String))
            .hasSize(1);
      }
    }
  }

  private static JsonObject ptr(String pointer, String detail) {
    return error("pointer", pointer, detail);
  }

  private static JsonObject error(String where, String name, String detail) {
    return new JsonObject().put(where, name).put("detail", detail);
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
