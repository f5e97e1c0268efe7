package dev.baedal.systemtests;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

/** A real HTTP client for the Baedal API at {@code base}, with the steps tests repeat. */
class Api {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final String base;

  /** The management server's base URL: {@code /health/ready}, {@code /metrics}. */
  final String management;

  Api(String base) {
    this(base, base);
  }

  Api(String base, String management) {
    this.base = base;
    this.management = management;
  }

  record Response(int status, String body, HttpResponse<String> raw) {
    JsonObject json() {
      return new JsonObject(body);
    }

    JsonArray array() {
      return new JsonArray(body);
    }

    String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }
  }

  String login(String user) {
    Response r =
        send(
            "POST",
            "/api/auth/login",
            null,
            new JsonObject().put("username", user).put("password", user + "-pass").encode(),
            null);
    if (r.status() != 200) {
      throw new IllegalStateException("login " + user + " failed: " + r.status() + " " + r.body());
    }
    return r.json().getString("token");
  }

  Response post(String path, String token, JsonObject body) {
    return send("POST", path, token, body == null ? null : body.encode(), null);
  }

  /** Waits until the customer sees {@code status} on the order; returns the order. */
  JsonObject awaitStatus(String orderId, String token, String status) {
    JsonObject[] last = new JsonObject[1];
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(
            () -> {
              Response r = get("/api/orders/" + orderId, token);
              org.assertj.core.api.Assertions.assertThat(r.status()).isEqualTo(200);
              last[0] = r.json();
              org.assertj.core.api.Assertions.assertThat(last[0].getString("status"))
                  .isEqualTo(status);
            });
    return last[0];
  }

  /** Places a paid order for {@code customer} and returns its id. */
  String placeAs(String customerToken, JsonObject body) {
    Response r = placeOrder(customerToken, UUID.randomUUID().toString(), body);
    if (r.status() != 201) {
      throw new IllegalStateException("order failed: " + r.status() + " " + r.body());
    }
    return r.json().getString("orderId");
  }

  /**
   * Drives an order of store-1 through the whole lifecycle as the store owner, rider-1 and the
   * customer would, waiting for each step to be visible.
   */
  void completeLifecycle(String id, String customer) {
    String store = login("store-1");
    String rider = login("rider-1");
    JsonObject nearStore = new JsonObject().put("lat", 37.4990).put("lng", 127.0280);
    untilOk(() -> post("/api/store/orders/" + id + "/accept", store, null));
    awaitStatus(id, customer, "ACCEPTED");
    post("/api/store/orders/" + id + "/start-cooking", store, null);
    awaitStatus(id, customer, "COOKING");
    untilOk(() -> post("/api/rider/deliveries/" + id + "/claim", rider, nearStore));
    awaitStatus(id, customer, "RIDER_ASSIGNED");
    post("/api/store/orders/" + id + "/finish-cooking", store, null);
    awaitStatus(id, customer, "COOKED");
    untilOk(() -> post("/api/rider/deliveries/" + id + "/pickup", rider, null));
    awaitStatus(id, customer, "PICKED_UP");
    post("/api/rider/deliveries/" + id + "/deliver", rider, null);
    awaitStatus(id, customer, "DELIVERED");
    post("/api/orders/" + id + "/confirm", customer, null);
    awaitStatus(id, customer, "COMPLETED");
  }

  /**
   * Repeats an action that a context refuses until the events before it have reached it (the store
   * or rider does not know the order yet, or the food is not cooked), until it succeeds.
   */
  Response untilOk(java.util.function.Supplier<Response> action) {
    Response[] last = new Response[1];
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> (last[0] = action.get()).status() == 200);
    return last[0];
  }

  /** Waits until the process reports ready on {@code /health/ready} (on its management port). */
  void awaitReady() {
    Api ops = new Api(management);
    org.awaitility.Awaitility.await(management + " ready")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> ops.get("/health/ready", null).status() == 200);
  }

  /** The Prometheus text of {@code /metrics} (on the management port). */
  String metrics() {
    return new Api(management).get("/metrics", null).body();
  }

  Response get(String path, String token) {
    return send("GET", path, token, null, null);
  }

  Response placeOrder(String token, String idempotencyKey, JsonObject body) {
    return send("POST", "/api/orders", token, body.encode(), idempotencyKey);
  }

  Response send(String method, String path, String token, String body, String idempotencyKey) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (idempotencyKey != null) {
      b.header("Idempotency-Key", idempotencyKey);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body(), r);
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A valid order for store-1: two fried chickens and a cola. */
  static JsonObject chickenOrder(String card) {
    return new JsonObject()
        .put("storeId", "store-1")
        .put(
            "items",
            new JsonArray()
                .add(new JsonObject().put("menuId", "chicken-fried").put("quantity", 2))
                .add(new JsonObject().put("menuId", "cola").put("quantity", 1)))
        .put(
            "deliveryAddress",
            new JsonObject()
                .put("text", "서울 강남구 테헤란로 152")
                .put("lat", 37.5006)
                .put("lng", 127.0364))
        .put("express", false)
        .put("payment", new JsonObject().put("method", "CARD").put("cardNumber", card));
  }

  static final String GOOD_CARD = "4242424242424242";
  static final String DECLINED_CARD = "4000000000000002";
}
