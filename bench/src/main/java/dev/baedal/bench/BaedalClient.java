package dev.baedal.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
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
 * Baedal's API as its apps call it, over HTTP and WebSocket: log in, place an order, the
 * customer's, the store owner's and the rider's commands, the live sockets. The apps' way of
 * holding it: keep-alive connections for placing orders, others for every other request (each app
 * has its own connection: a customer placing does not hold up a store owner's accept, not even when
 * an overload run has hundreds of placements waiting), one client for every socket. {@code baedal
 * bench} and the system tests both talk to Baedal through it.
 *
 * <p>Every call is asynchronous (the bench has thousands under way on one event loop) and gives the
 * answer as it came, whatever its status; the future fails only when no answer came (none within
 * {@link #TIMEOUT_MS}, or the connection failed), except {@link #login(String)}, which wants its
 * token.
 */
public final class BaedalClient implements AutoCloseable {
  /** How long a request or a WebSocket handshake may wait for its answer. */
  public static final long TIMEOUT_MS = 30_000;

  /** Connections for other requests than placing orders, and by default for placing them. */
  private static final int CONNECTIONS = 256;

  private final WebClient http;
  private final WebClient placing;
  private final WebSocketClient sockets;

  /** A client of the Baedal whose gateway is at {@code base} (e.g. http://127.0.0.1:8080). */
  public BaedalClient(Vertx vertx, URI base) {
    this(vertx, base, CONNECTIONS);
  }

  /**
   * Such a client that places at most {@code placements} orders at once (a connection each; more
   * wait for one).
   */
  public BaedalClient(Vertx vertx, URI base, int placements) {
    int port = port(base);
    WebClientOptions options =
        new WebClientOptions()
            .setDefaultHost(base.getHost())
            .setDefaultPort(port)
            .setKeepAlive(true);
    this.http = WebClient.create(vertx, options, new PoolOptions().setHttp1MaxSize(CONNECTIONS));
    this.placing =
        WebClient.create(
            vertx, new WebClientOptions(options), new PoolOptions().setHttp1MaxSize(placements));
    this.sockets =
        vertx.createWebSocketClient(
            new WebSocketClientOptions()
                .setDefaultHost(base.getHost())
                .setDefaultPort(port)
                .setMaxConnections(100_000));
  }

  /** The port of {@code base}, 80 when it names none. */
  static int port(URI base) {
    return base.getPort() == -1 ? 80 : base.getPort();
  }

  /** Logs in as a demo user (password {@code <user>-pass}); the token, or a failure unless 200. */
  public Future<String> login(String user) {
    return post(
            "/api/auth/login",
            null,
            new JsonObject().put("username", user).put("password", user + "-pass"))
        .map(
            (HttpResponse<Buffer> r) -> {
              if (r.statusCode() != 200) {
                throw new IllegalStateException(
                    "login as " + user + " failed: " + r.statusCode() + " " + r.bodyAsString());
              }
              return r.bodyAsJsonObject().getString("token");
            });
  }

  /** {@code POST /api/orders}: a customer places {@code order}, filed under {@code key}. */
  public Future<HttpResponse<Buffer>> place(String token, String key, JsonObject order) {
    return authorized(placing.request(HttpMethod.POST, "/api/orders"), token)
        .putHeader("Idempotency-Key", key)
        .sendJsonObject(order);
  }

  /** A customer's command on an order: {@code POST /api/orders/{id}/confirm}, {@code cancel}. */
  public Future<HttpResponse<Buffer>> customer(String token, String orderId, String command) {
    return post("/api/orders/" + orderId + "/" + command, token, null);
  }

  /**
   * A store owner's step on an order: {@code POST /api/store/orders/{id}/accept}, {@code reject}
   * (with its reason in {@code body}), {@code start-cooking}, {@code finish-cooking}.
   */
  public Future<HttpResponse<Buffer>> store(
      String token, String orderId, String step, JsonObject body) {
    return post("/api/store/orders/" + orderId + "/" + step, token, body);
  }

  /**
   * A rider's step on a delivery: {@code POST /api/rider/deliveries/{id}/claim} (with where the
   * rider is in {@code body}), {@code pickup}, {@code deliver}.
   */
  public Future<HttpResponse<Buffer>> rider(
      String token, String orderId, String step, JsonObject body) {
    return post("/api/rider/deliveries/" + orderId + "/" + step, token, body);
  }

  /** {@code GET path} with {@code token} (none when null). */
  public Future<HttpResponse<Buffer>> get(String path, String token) {
    return request(HttpMethod.GET, path, token).send();
  }

  /** {@code POST path} with {@code token} (none when null) and a JSON {@code body} (none: null). */
  public Future<HttpResponse<Buffer>> post(String path, String token, JsonObject body) {
    HttpRequest<Buffer> request = request(HttpMethod.POST, path, token);
    return body == null ? request.send() : request.sendJsonObject(body);
  }

  /**
   * A request with {@code token} as its bearer (none when null) and the timeout, for callers that
   * add headers or a body of their own.
   */
  public HttpRequest<Buffer> request(HttpMethod method, String path, String token) {
    return authorized(http.request(method, path), token);
  }

  private static HttpRequest<Buffer> authorized(HttpRequest<Buffer> request, String token) {
    request.timeout(TIMEOUT_MS);
    return token == null ? request : request.putHeader("Authorization", "Bearer " + token);
  }

  /**
   * Opens a live WebSocket: {@code /ws/orders/{id}} (a customer's order), {@code /ws/store} (an
   * owner's orders) or {@code /ws/rider} (offers and deliveries), with {@code token} as the query
   * parameter the browser sends it in (none when null).
   */
  public Future<WebSocket> socket(String path, String token) {
    return socket(
        token == null ? path : path + (path.contains("?") ? "&" : "?") + "token=" + token);
  }

  /** Opens a WebSocket on {@code uri} (path and query as they are). */
  public Future<WebSocket> socket(String uri) {
    return sockets.connect(new WebSocketConnectOptions().setURI(uri).setTimeout(TIMEOUT_MS));
  }

  @Override
  public void close() {
    http.close();
    placing.close();
    sockets.close();
  }
}
