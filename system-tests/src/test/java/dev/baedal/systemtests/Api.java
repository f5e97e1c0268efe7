package dev.baedal.systemtests;

import dev.baedal.bench.BaedalClient;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The Baedal API at {@code base} as a test calls it: {@link BaedalClient}'s calls (the bench's
 * client), each waited for, and the steps tests repeat.
 */
class Api implements AutoCloseable {
  /** The event loops of every test client in this JVM: none of the system's under test. */
  static final Vertx VERTX = Vertx.vertx();

  final String base;

  /** The management server's base URL: {@code /health/ready}, {@code /metrics}. */
  final String management;

  final BaedalClient client;
  private BaedalClient ops;

  Api(String base) {
    this(base, base);
  }

  Api(String base, String management) {
    this.base = base;
    this.management = management;
    this.client = new BaedalClient(VERTX, URI.create(base));
  }

  /** An answer: its status, its body ("" when none) and its headers. */
  record Response(int status, String body, MultiMap headers) {
    static Response of(HttpResponse<Buffer> r) {
      Buffer body = r.body();
      return new Response(
          r.statusCode(), body == null ? "" : body.toString(StandardCharsets.UTF_8), r.headers());
    }

    JsonObject json() {
      return new JsonObject(body);
    }

    JsonArray array() {
      return new JsonArray(body);
    }

    String header(String name) {
      return headers.get(name);
    }
  }

  String login(String user) {
    return await(client.login(user), "login " + user);
  }

  Response post(String path, String token, JsonObject body) {
    return answer(client.post(path, token, body), "POST " + path);
  }

  /** {@code POST path} with headers of the test's own besides the token (e.g. X-Forwarded-For). */
  Response post(String path, String token, JsonObject body, Map<String, String> headers) {
    HttpRequest<Buffer> request = client.request(HttpMethod.POST, path, token);
    headers.forEach(request::putHeader);
    return answer(request.sendJsonObject(body), "POST " + path);
  }

  /** Waits until the customer sees {@code status} on the order; returns the order. */
  JsonObject awaitStatus(String orderId, String token, String status) {
    return awaitView(
        orderId,
        token,
        view ->
            org.assertj.core.api.Assertions.assertThat(view.getString("status")).isEqualTo(status));
  }

  /** Polls the caller's view of the order until {@code check} passes on it; returns that view. */
  JsonObject awaitView(String orderId, String token, Consumer<JsonObject> check) {
    JsonObject[] last = new JsonObject[1];
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(
            () -> {
              Response r = get("/api/orders/" + orderId, token);
              org.assertj.core.api.Assertions.assertThat(r.status()).isEqualTo(200);
              last[0] = r.json();
              check.accept(last[0]);
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
    untilOk(() -> store(store, id, "accept"));
    awaitStatus(id, customer, "ACCEPTED");
    store(store, id, "start-cooking");
    awaitStatus(id, customer, "COOKING");
    untilOk(() -> rider(rider, id, "claim", nearStore));
    awaitStatus(id, customer, "RIDER_ASSIGNED");
    store(store, id, "finish-cooking");
    awaitStatus(id, customer, "COOKED");
    untilOk(() -> rider(rider, id, "pickup", null));
    awaitStatus(id, customer, "PICKED_UP");
    rider(rider, id, "deliver", null);
    awaitStatus(id, customer, "DELIVERED");
    answer(client.customer(customer, id, "confirm"), "confirm " + id);
    awaitStatus(id, customer, "COMPLETED");
  }

  /** A store owner's step on an order ({@link BaedalClient#store}). */
  private Response store(String token, String orderId, String step) {
    return answer(client.store(token, orderId, step, null), step + " " + orderId);
  }

  /** A rider's step on a delivery ({@link BaedalClient#rider}). */
  private Response rider(String token, String orderId, String step, JsonObject body) {
    return answer(client.rider(token, orderId, step, body), step + " " + orderId);
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
    org.awaitility.Awaitility.await(management + " ready")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> ops("/health/ready").status() == 200);
  }

  /** The Prometheus text of {@code /metrics} (on the management port). */
  String metrics() {
    return ops("/metrics").body();
  }

  /** {@code GET path} on the management port. */
  Response ops(String path) {
    synchronized (this) {
      if (ops == null) {
        ops = management.equals(base) ? client : new BaedalClient(VERTX, URI.create(management));
      }
    }
    return answer(ops.get(path, null), "GET " + management + path);
  }

  Response get(String path, String token) {
    return answer(client.get(path, token), "GET " + path);
  }

  Response placeOrder(String token, String idempotencyKey, JsonObject body) {
    return answer(client.place(token, idempotencyKey, body), "POST /api/orders");
  }

  /** Any request; {@code body} is sent as it is, as JSON, when not null. */
  Response send(String method, String path, String token, String body, String idempotencyKey) {
    HttpRequest<Buffer> request = client.request(HttpMethod.valueOf(method), path, token);
    if (idempotencyKey != null) {
      request.putHeader("Idempotency-Key", idempotencyKey);
    }
    if (body == null) {
      return answer(request.send(), method + " " + path);
    }
    request.putHeader("Content-Type", "application/json");
    return answer(request.sendBuffer(Buffer.buffer(body)), method + " " + path);
  }

  /** The answer to a request; an IllegalStateException when none came. */
  private static Response answer(Future<HttpResponse<Buffer>> request, String what) {
    return Response.of(await(request, what));
  }

  private static <T> T await(Future<T> future, String what) {
    try {
      return future
          .toCompletionStage()
          .toCompletableFuture()
          .get(BaedalClient.TIMEOUT_MS + 10_000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | CompletionException e) {
      throw new IllegalStateException(what + " failed", e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(what + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    client.close();
    if (ops != null && ops != client) {
      ops.close();
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
