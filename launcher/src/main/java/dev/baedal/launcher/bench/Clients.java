package dev.baedal.launcher.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;

/**
 * The benchmark's HTTP and WebSocket clients, as the apps would hold them: keep-alive connections
 * for placing orders, others for every other request (each app has its own connection: a customer
 * placing does not hold up a store owner's accept, not even when an overload run has hundreds of
 * placements waiting), one client for every socket. Requests made for a measured order are counted,
 * and their failures by status.
 */
final class Clients {
  static final long TIMEOUT_MS = 30_000;

  final Vertx vertx;
  final BenchStats stats;
  private final WebClient http;
  private final WebClient placing;
  private final WebSocketClient sockets;

  /**
   * @param placements orders that may be being placed at once (a connection each)
   */
  Clients(Vertx vertx, URI url, int placements, BenchStats stats) {
    this.vertx = vertx;
    this.stats = stats;
    int port = url.getPort() == -1 ? 80 : url.getPort();
    WebClientOptions options =
        new WebClientOptions()
            .setDefaultHost(url.getHost())
            .setDefaultPort(port)
            .setKeepAlive(true);
    this.http = WebClient.create(vertx, options, new PoolOptions().setHttp1MaxSize(256));
    this.placing =
        WebClient.create(
            vertx, new WebClientOptions(options), new PoolOptions().setHttp1MaxSize(placements));
    this.sockets =
        vertx.createWebSocketClient(
            new WebSocketClientOptions()
                .setDefaultHost(url.getHost())
                .setDefaultPort(port)
                .setMaxConnections(100_000));
  }

  /** Logs in; the token. */
  Future<String> login(String user) {
    return http.post("/api/auth/login")
        .timeout(TIMEOUT_MS)
        .sendJsonObject(new JsonObject().put("username", user).put("password", user + "-pass"))
        .map(
            (HttpResponse<?> r) -> {
              if (r.statusCode() != 200) {
                throw new IllegalStateException("login as " + user + " failed: " + r.statusCode());
              }
              return r.bodyAsJsonObject().getString("token");
            });
  }

  /** {@code POST path}, for {@code order}: the answer (status 0 when none came). */
  Future<HttpResponse<Buffer>> post(Lifecycle order, String token, String path, JsonObject body) {
    HttpRequest<Buffer> request =
        http.post(path).putHeader("Authorization", "Bearer " + token).timeout(TIMEOUT_MS);
    return (body == null ? request.send() : request.sendJsonObject(body))
        .onComplete(
            ar -> {
              if (order != null && order.measured) {
                int status = ar.succeeded() ? ar.result().statusCode() : 0;
                boolean lostClaim = status == 409 && path.endsWith("/claim");
                stats.request(status, lostClaim);
              }
            });
  }

  /** {@code POST /api/orders}; the answer (a failed future when none came). */
  Future<HttpResponse<Buffer>> place(String token, String key, JsonObject o) {
    return placing
        .post("/api/orders")
        .putHeader("Authorization", "Bearer " + token)
        .putHeader("Idempotency-Key", key)
        .timeout(TIMEOUT_MS)
        .sendJsonObject(o);
  }

  /** Opens a WebSocket on {@code uri} (counted for {@code order} when it is measured). */
  Future<WebSocket> socket(Lifecycle order, String uri) {
    return sockets
        .connect(new WebSocketConnectOptions().setURI(uri).setTimeout(TIMEOUT_MS))
        .onComplete(
            ar -> {
              if (order != null && order.measured) {
                stats.request(
                    ar.succeeded()
                        ? 101
                        : ar.cause() instanceof UpgradeRejectedException r ? r.getStatus() : 0,
                    false);
              }
            });
  }
}
