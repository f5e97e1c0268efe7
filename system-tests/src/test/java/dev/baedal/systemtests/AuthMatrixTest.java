package dev.baedal.systemtests;

import static dev.baedal.systemtests.TestSystem.GOOD_CARD;
import static dev.baedal.systemtests.TestSystem.chickenOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every route against every kind of caller: no token, a forged token, the wrong role, another
 * owner, the right owner, each with the one status it must get. The shared order is cooking with
 * rider-1 assigned: the owner's commands on it are refused by the state machine (409), and the
 * owner's commands that would move it on (finish cooking, pick up, deliver) act on an order of
 * their own in the state where they are allowed; no refused caller changes the shared order.
 */
class AuthMatrixTest {
  private static TestSystem system;
  private static String orderId;

  /**
   * One route ({@code {id}}: an order): who owns it, who has the wrong role, who is another owner
   * (null: none), what the owner gets, and the state of a fresh order the owner's call acts on
   * (null: the shared order, which it does not change).
   */
  record Route(
      String method,
      String path,
      String body,
      String owner,
      String wrongRole,
      String otherOwner,
      int ownerGets,
      String freshState) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  @BeforeAll
  static void start() {
    system = TestSystem.start();
    String kim = system.login("kim");
    String store1 = system.login("store-1");
    orderId = system.placeAs(kim, chickenOrder(GOOD_CARD));
    system.storeAction(store1, orderId, "accept", null);
    system.post("/api/store/orders/" + orderId + "/start-cooking", store1, null);
    system.awaitDelivery(orderId);
    system.post(
        "/api/rider/deliveries/" + orderId + "/claim",
        system.login("rider-1"),
        LifecycleTest.NEAR_STORE_1);
    system.awaitStatus(orderId, kim, "RIDER_ASSIGNED");
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  static List<Route> routes() {
    String o = "/api/orders/{id}";
    String items = "{\"items\":[{\"menuId\":\"cola\",\"quantity\":1}]}";
    return List.of(
        new Route("GET", "/api/stores", null, "kim", null, null, 200, null),
        new Route("GET", "/api/districts", null, "kim", null, null, 200, null),
        new Route("GET", "/api/delivery-options", null, "rider-1", null, null, 200, null),
        new Route("GET", "/api/stores/store-1/menu", null, "rider-1", null, null, 200, null),
        new Route(
            "POST",
            "/api/orders",
            chickenOrder(GOOD_CARD).encode(),
            "kim",
            "store-1",
            null,
            201,
            null),
        new Route("GET", "/api/orders", null, "kim", null, null, 200, null),
        new Route("GET", o, null, "kim", null, "lee", 200, null),
        new Route("GET", o, null, "store-1", null, "store-2", 200, null),
        new Route("GET", o, null, "rider-1", null, "rider-2", 200, null),
        // the shared order is cooking: the owner's cancel, confirm and change are refused by the
        // state machine, not by authorization
        new Route("POST", o + "/cancel", null, "kim", "store-1", "lee", 409, null),
        new Route("POST", o + "/confirm", null, "kim", "rider-1", "lee", 409, null),
        new Route("PATCH", o, items, "kim", "store-1", "lee", 409, null),
        new Route("GET", "/api/store/orders", null, "store-1", "kim", null, 200, null),
        new Route(
            "POST", "/api/store/orders/{id}/accept", null, "store-1", "kim", "store-2", 409, null),
        // the owner's commands that would move the shared order on act on an order of their own,
        // prepared in the state where the command is allowed
        new Route(
            "POST",
            "/api/store/orders/{id}/finish-cooking",
            null,
            "store-1",
            "rider-1",
            "store-2",
            200,
            "RIDER_ASSIGNED"),
        new Route("PUT", "/api/store/open", "{\"open\": true}", "store-1", "kim", null, 200, null),
        new Route(
            "GET",
            "/api/rider/deliveries?lat=37.499&lng=127.028",
            null,
            "rider-1",
            "kim",
            null,
            200,
            null),
        new Route("GET", "/api/rider/deliveries/mine", null, "rider-1", "store-1", null, 200, null),
        new Route(
            "POST",
            "/api/rider/deliveries/{id}/pickup",
            null,
            "rider-1",
            "kim",
            "rider-2",
            200,
            "COOKED"),
        new Route(
            "POST",
            "/api/rider/deliveries/{id}/deliver",
            null,
            "rider-1",
            "lee",
            "rider-2",
            200,
            "PICKED_UP"));
  }

  static Stream<Arguments> matrix() {
    List<Arguments> cases = new ArrayList<>();
    for (Route r : routes()) {
      cases.add(Arguments.of(r, "no token", null, 401));
      cases.add(Arguments.of(r, "a forged token", "forged", 401));
      if (r.wrongRole() != null) {
        cases.add(Arguments.of(r, "the wrong role (" + r.wrongRole() + ")", r.wrongRole(), 403));
      }
      if (r.otherOwner() != null) {
        cases.add(Arguments.of(r, "another owner (" + r.otherOwner() + ")", r.otherOwner(), 404));
      }
      cases.add(Arguments.of(r, "the owner (" + r.owner() + ")", r.owner(), r.ownerGets()));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} by {1} -> {3}")
  @MethodSource("matrix")
  @DisplayName("route x caller")
  void route(Route route, String who, String user, int expected) {
    String token = user == null ? null : user.equals("forged") ? forged() : login(user);
    boolean owner = user != null && user.equals(route.owner());
    String id = owner && route.freshState() != null ? orderIn(route.freshState()) : orderId;
    String before = owner ? null : statusOf(orderId);
    TestSystem.Response r =
        system.send(
            route.method(),
            route.path().replace("{id}", id),
            token,
            route.body(),
            route.path().equals("/api/orders") ? UUID.randomUUID().toString() : null);
    assertThat(r.status()).as(r.body()).isEqualTo(expected);
    if (expected >= 400) {
      assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
      assertThat(r.json().getInteger("status")).isEqualTo(expected);
    }
    if (!owner) {
      assertThat(statusOf(orderId)).as("a refused caller changed nothing").isEqualTo(before);
    }
  }

  private static String statusOf(String id) {
    return system.get("/api/orders/" + id, login("kim")).json().getString("status");
  }

  private static final java.util.Map<String, String> tokens =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static String login(String user) {
    return tokens.computeIfAbsent(user, system::login);
  }

  /** A new order of kim's at store-1, taken to {@code state} (rider-1 assigned from then on). */
  private static String orderIn(String state) {
    String kim = login("kim");
    String store1 = login("store-1");
    String rider1 = login("rider-1");
    String id = system.placeAs(kim, chickenOrder(GOOD_CARD));
    system.storeAction(store1, id, "accept", null);
    system.post("/api/store/orders/" + id + "/start-cooking", store1, null);
    system.awaitDelivery(id);
    system.post("/api/rider/deliveries/" + id + "/claim", rider1, LifecycleTest.NEAR_STORE_1);
    system.awaitStatus(id, kim, "RIDER_ASSIGNED");
    if (state.equals("COOKED") || state.equals("PICKED_UP")) {
      system.post("/api/store/orders/" + id + "/finish-cooking", store1, null);
      system.awaitStatus(id, kim, "COOKED");
      // the rider context hears of it from the store's event, in its own time
      await("the rider context knows the food of " + id + " is ready")
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  system.get("/api/rider/deliveries/mine", rider1).array().stream()
                      .map(JsonObject.class::cast)
                      .anyMatch(d -> id.equals(d.getString("orderId")) && d.getBoolean("cooked")));
    }
    if (state.equals("PICKED_UP")) {
      assertThat(system.post("/api/rider/deliveries/" + id + "/pickup", rider1, null).status())
          .isEqualTo(200);
      system.awaitStatus(id, kim, "PICKED_UP");
    }
    return id;
  }

  /** A well-formed JWT for customer kim, signed with another key. */
  private static String forged() {
    JsonObject claims = new JsonObject().put("sub", "kim").put("role", "customer");
    io.vertx.ext.auth.jwt.JWTAuth other =
        io.vertx.ext.auth.jwt.JWTAuth.create(
            system.node.vertx(),
            new io.vertx.ext.auth.jwt.JWTAuthOptions()
                .addPubSecKey(
                    new io.vertx.ext.auth.PubSecKeyOptions()
                        .setAlgorithm("HS256")
                        .setBuffer("not-the-key-not-the-key-not-the-key-0123")));
    return other.generateToken(claims);
  }
}
