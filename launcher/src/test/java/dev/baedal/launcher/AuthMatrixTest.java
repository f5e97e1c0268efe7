package dev.baedal.launcher;

import static dev.baedal.launcher.TestSystem.GOOD_CARD;
import static dev.baedal.launcher.TestSystem.chickenOrder;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
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
 * owner, the right owner. The order used is cooking with rider-1 assigned, so the right owner's
 * commands are refused by the state machine (409) and nothing changes between cases.
 */
class AuthMatrixTest {
  private static TestSystem system;
  private static String orderId;

  /** One route: who owns it, who has the wrong role, who is another owner (null: none). */
  record Route(
      String method, String path, String body, String owner, String wrongRole, String otherOwner) {
    @Override
    public String toString() {
      return method + " " + path.replace(orderId == null ? "?" : orderId, "{id}");
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
    String o = "/api/orders/" + orderId;
    String items = "{\"items\":[{\"menuId\":\"cola\",\"quantity\":1}]}";
    return List.of(
        new Route("GET", "/api/stores", null, "kim", null, null),
        new Route("GET", "/api/districts", null, "kim", null, null),
        new Route("GET", "/api/delivery-options", null, "rider-1", null, null),
        new Route("GET", "/api/stores/store-1/menu", null, "rider-1", null, null),
        new Route("POST", "/api/orders", chickenOrder(GOOD_CARD).encode(), "kim", "store-1", null),
        new Route("GET", "/api/orders", null, "kim", null, null),
        new Route("GET", o, null, "kim", null, "lee"),
        new Route("GET", o, null, "store-1", null, "store-2"),
        new Route("GET", o, null, "rider-1", null, "rider-2"),
        new Route("POST", o + "/cancel", null, "kim", "store-1", "lee"),
        new Route("POST", o + "/confirm", null, "kim", "rider-1", "lee"),
        new Route("PATCH", o, items, "kim", "store-1", "lee"),
        new Route("GET", "/api/store/orders", null, "store-1", "kim", null),
        new Route(
            "POST", "/api/store/orders/" + orderId + "/accept", null, "store-1", "kim", "store-2"),
        new Route(
            "POST",
            "/api/store/orders/" + orderId + "/finish-cooking",
            null,
            "store-1",
            "rider-1",
            "store-2"),
        new Route("PUT", "/api/store/open", "{\"open\": true}", "store-1", "kim", null),
        new Route(
            "GET", "/api/rider/deliveries?lat=37.499&lng=127.028", null, "rider-1", "kim", null),
        new Route("GET", "/api/rider/deliveries/mine", null, "rider-1", "store-1", null),
        new Route(
            "POST",
            "/api/rider/deliveries/" + orderId + "/pickup",
            null,
            "rider-1",
            "kim",
            "rider-2"),
        new Route(
            "POST",
            "/api/rider/deliveries/" + orderId + "/deliver",
            null,
            "rider-1",
            "lee",
            "rider-2"));
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
      cases.add(Arguments.of(r, "the owner (" + r.owner() + ")", r.owner(), 0));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} by {1} -> {3}")
  @MethodSource("matrix")
  @DisplayName("route x caller")
  void route(Route route, String who, String user, int expected) {
    String token = user == null ? null : user.equals("forged") ? forged() : system.login(user);
    TestSystem.Response r =
        system.send(
            route.method(),
            route.path(),
            token,
            route.body(),
            route.path().equals("/api/orders") ? UUID.randomUUID().toString() : null);
    if (expected == 0) {
      assertThat(r.status()).as(r.body()).isIn(200, 201, 202, 409);
      if (r.status() == 409) {
        assertThat(r.json().getInteger("status")).isEqualTo(409);
      }
    } else {
      assertThat(r.status()).as(r.body()).isEqualTo(expected);
      assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
    }
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
