package dev.baedal.gateway;

import static dev.baedal.devinfra.TestInfra.join;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baedal.platform.http.ProblemHandler;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.openapi.contract.OpenAPIContract;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The {@code /api} router on its own (handlers that just answer 200): what the OpenAPI document
 * refuses comes back as a 400 listing every violation.
 */
class RequestViolationsTest {
  private static Vertx vertx;
  private static HttpServer server;
  private static WebClient client;
  private static String token;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    JWTAuth jwt =
        JWTAuth.create(
            vertx,
            new JWTAuthOptions()
                .addPubSecKey(
                    new PubSecKeyOptions()
                        .setAlgorithm("HS256")
                        .setBuffer("a-test-secret-of-at-least-32-characters")));
    token =
        jwt.generateToken(
            new JsonObject().put("sub", "kim").put("role", "customer"), new JWTOptions());
    OpenAPIContract contract = join(OpenAPIContract.from(vertx, ApiRouter.CONTRACT));
    Map<String, List<Handler<RoutingContext>>> operations = new HashMap<>();
    for (var op : contract.operations()) {
      operations.put(op.getOperationId(), List.of(ctx -> ctx.end("ok")));
    }
    Router api = join(ApiRouter.build(vertx, jwt, operations, 64 * 1024));
    Router root = Router.router(vertx);
    root.route()
        .failureHandler(
            ctx -> {
              System.err.println(
                  "DEBUG root "
                      + ctx.failure()
                      + " / "
                      + (ctx.failure() == null ? null : ctx.failure().getCause())
                      + " route "
                      + ctx.currentRoute());
              ctx.next();
            });
    root.route().failureHandler(new ProblemHandler(64 * 1024));
    root.route("/api/*").subRouter(api);
    server = join(vertx.createHttpServer().requestHandler(root).listen(0, "127.0.0.1"));
    client = WebClient.create(vertx);
  }

  @AfterAll
  static void stop() {
    join(vertx.close());
  }

  private static HttpResponse<Buffer> send(
      HttpMethod method, String path, Map<String, String> headers, String body) {
    var request =
        client
            .request(method, server.actualPort(), "127.0.0.1", path)
            .putHeader("Authorization", "Bearer " + token);
    headers.forEach(request::putHeader);
    return join(
        body == null
            ? request.send()
            : request
                .putHeader("Content-Type", "application/json")
                .sendBuffer(Buffer.buffer(body)));
  }

  private static JsonObject entry(String where, String name, String detail) {
    return new JsonObject().put(where, name).put("detail", detail);
  }

  @Test
  @DisplayName("a header, body fields and values: every violation, each where it is")
  void everyViolationOfAnOrder() {
    String body =
        "{\"items\":[{\"menuId\":\"cola\",\"quantity\":100},{\"quantity\":\"2\"}],"
            + "\"deliveryAddress\":{\"text\":\"\",\"lng\":200},\"express\":\"yes\","
            + "\"payment\":{\"method\":\"CASH\",\"cardNumber\":\"1234\"}}";

    HttpResponse<Buffer> r = send(HttpMethod.POST, "/api/orders", Map.of(), body);

    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(400);
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
    JsonArray errors = r.bodyAsJsonObject().getJsonArray("errors");
    assertThat(errors)
        .containsExactly(
            entry("header", "Idempotency-Key", "is required"),
            entry("pointer", "/storeId", "is required"),
            entry("pointer", "/items/0/quantity", "must be between 1 and 99"),
            entry("pointer", "/items/1/menuId", "is required"),
            entry("pointer", "/items/1/quantity", "must be an integer"),
            entry("pointer", "/deliveryAddress/lat", "is required"),
            entry("pointer", "/deliveryAddress/text", "must not be empty"),
            entry("pointer", "/deliveryAddress/lng", "must be between -180 and 180"),
            entry("pointer", "/express", "must be true or false"),
            entry("pointer", "/payment/method", "must be one of: CARD"),
            entry("pointer", "/payment/cardNumber", "must be 16 digits that pass the Luhn check"));
    assertThat(r.bodyAsJsonObject().getString("detail"))
        .startsWith("the Idempotency-Key header is required; storeId is required;");
  }

  @Test
  @DisplayName("malformed JSON and a missing body are said of the body as a whole")
  void theBodyAsAWhole() {
    HttpResponse<Buffer> bad =
        send(HttpMethod.POST, "/api/orders", Map.of("Idempotency-Key", "k"), "{\"storeId\": ");
    assertThat(bad.bodyAsJsonObject().getJsonArray("errors"))
        .containsExactly(entry("pointer", "", "is not valid JSON"));
    HttpResponse<Buffer> none = send(HttpMethod.PUT, "/api/store/open", Map.of(), null);
    assertThat(none.bodyAsJsonObject().getJsonArray("errors"))
        .containsExactly(entry("pointer", "", "is required"));
  }

  @Test
  @DisplayName("query and path parameters are named as parameters")
  void parameters() {
    HttpResponse<Buffer> r = send(HttpMethod.GET, "/api/rider/deliveries?lat=abc", Map.of(), null);
    assertThat(r.bodyAsJsonObject().getJsonArray("errors"))
        .containsExactly(
            entry("parameter", "lat", "must be a number"),
            entry("parameter", "lng", "is required"));
    HttpResponse<Buffer> status =
        send(HttpMethod.GET, "/api/store/orders?status=SHIPPED", Map.of(), null);
    assertThat(
            status.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("detail"))
        .startsWith("must be one of: NEW, PAID, ACCEPTED");
  }
}
