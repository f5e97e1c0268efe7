package dev.baedal.launcher;

import static dev.baedal.devinfra.TestInfra.join;

import dev.baedal.devinfra.TestInfra;
import dev.baedal.platform.Settings;
import dev.baedal.platform.db.Database;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * A whole Baedal node for a test class: every service on the shared test broker, a database of its
 * own, consumer groups of its own, a random HTTP port; and a real HTTP client to talk to it.
 */
final class TestSystem implements AutoCloseable {
  final Settings settings;
  final Node node;
  final Pool pool;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  private TestSystem(Settings settings, Node node) {
    this.settings = settings;
    this.node = node;
    this.pool = Database.pool(node.vertx(), settings);
    this.base = "http://127.0.0.1:" + node.httpPort();
  }

  static TestSystem start() {
    return start(s -> s);
  }

  /** Starts a node; {@code tweak} adjusts the test settings (e.g. breaker timings). */
  static TestSystem start(UnaryOperator<Settings> tweak) {
    Settings settings =
        tweak.apply(
            Settings.defaults()
                .with("kafka", TestInfra.kafka())
                .with("pg.url", TestInfra.freshDatabase())
                .with("kafka.group-prefix", "test-" + UUID.randomUUID())
                .with("http.port", 0)
                .with("jwt.secret", "test-secret-" + UUID.randomUUID() + UUID.randomUUID())
                .with("outbox.poll-ms", 250));
    Node node = join(Node.start(settings, List.of(Service.values()), line -> {}));
    TestSystem system = new TestSystem(settings, node);
    system.awaitCatalogue();
    return system;
  }

  /** Orders can be placed once the order context's catalogue replica has the demo stores. */
  private void awaitCatalogue() {
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> count("select count(*) from order_svc.catalog_items") >= 10);
  }

  // ---- HTTP ----

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

  /** A token for any subject, signed with this system's key (e.g. riders beyond the demo two). */
  String token(String role, String subject) {
    io.vertx.ext.auth.jwt.JWTAuth jwt =
        io.vertx.ext.auth.jwt.JWTAuth.create(
            node.vertx(),
            new io.vertx.ext.auth.jwt.JWTAuthOptions()
                .addPubSecKey(
                    new io.vertx.ext.auth.PubSecKeyOptions()
                        .setAlgorithm("HS256")
                        .setBuffer(settings.string("jwt.secret"))));
    return jwt.generateToken(new JsonObject().put("sub", subject).put("role", role));
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

  /** Waits until the store context knows the order, then runs an owner action on it. */
  Response storeAction(String storeToken, String orderId, String action, JsonObject body) {
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                count(
                        "select count(*) from store_svc.store_orders where order_id = $1::uuid",
                        orderId)
                    == 1);
    return post("/api/store/orders/" + orderId + "/" + action, storeToken, body);
  }

  /** Waits until the order has exactly {@code n} refunds. */
  void awaitRefunds(String orderId, int n) {
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                count("select count(*) from payment_svc.refunds where order_id = $1::uuid", orderId)
                    == n);
  }

  /**
   * Drives an order of store-1 through the whole lifecycle as the store owner, rider-1 and the
   * customer would, waiting for each step to be visible.
   */
  void completeLifecycle(String id, String customer) {
    String store = login("store-1");
    String rider = login("rider-1");
    JsonObject nearStore = new JsonObject().put("lat", 37.4990).put("lng", 127.0280);
    storeAction(store, id, "accept", null);
    awaitStatus(id, customer, "ACCEPTED");
    post("/api/store/orders/" + id + "/start-cooking", store, null);
    awaitStatus(id, customer, "COOKING");
    awaitDelivery(id);
    post("/api/rider/deliveries/" + id + "/claim", rider, nearStore);
    awaitStatus(id, customer, "RIDER_ASSIGNED");
    post("/api/store/orders/" + id + "/finish-cooking", store, null);
    awaitStatus(id, customer, "COOKED");
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> post("/api/rider/deliveries/" + id + "/pickup", rider, null).status() == 200);
    awaitStatus(id, customer, "PICKED_UP");
    post("/api/rider/deliveries/" + id + "/deliver", rider, null);
    awaitStatus(id, customer, "DELIVERED");
    post("/api/orders/" + id + "/confirm", customer, null);
    awaitStatus(id, customer, "COMPLETED");
  }

  /** Waits until the rider context opened the delivery. */
  void awaitDelivery(String orderId) {
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                count(
                        "select count(*) from rider_svc.deliveries where order_id = $1::uuid",
                        orderId)
                    == 1);
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

  // ---- database, for assertions ----

  long count(String sql, Object... args) {
    return join(
        pool.preparedQuery(sql)
            .execute(Tuple.wrap(args))
            .map(rs -> rs.iterator().next().getLong(0)));
  }

  List<Row> rows(String sql, Object... args) {
    return join(
        pool.preparedQuery(sql)
            .execute(Tuple.wrap(args))
            .map(
                rs -> {
                  List<Row> out = new ArrayList<>();
                  rs.forEach(out::add);
                  return out;
                }));
  }

  /** Changes the simulated card network: latency and failure rate. */
  void cardNetwork(long latencyMs, double failureRate) {
    join(
        node.vertx()
            .eventBus()
            .request(
                dev.baedal.payment.PaymentVerticle.SIMULATOR,
                new JsonObject().put("latencyMs", latencyMs).put("failureRate", failureRate)));
  }

  @Override
  public void close() {
    Future<Void> stopped = node.stop();
    join(stopped);
  }
}
