package dev.baedal.systemtests;

import static dev.baedal.systemtests.TestSystem.GOOD_CARD;
import static dev.baedal.systemtests.TestSystem.chickenOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What a connection may hold (issue 11, findings 7 and 8): idle and half-open connections are
 * closed, a live WebSocket is kept by its pongs, sessions per user are capped, a token without
 * {@code exp} is refused, the login route alone is without a token, the answers carry security
 * headers, and readiness and metrics are on the management port only.
 */
class ConnectionsTest {
  private static final int IDLE_SECONDS = 2;
  private static final int READ_SECONDS = 3;
  private static TestSystem system;
  private static int port;
  private static String kim;

  @BeforeAll
  static void start() {
    system =
        TestSystem.start(
            s ->
                s.with("http.idle-timeout-seconds", IDLE_SECONDS)
                    .with("http.read-timeout-seconds", READ_SECONDS)
                    .with("live.ping-seconds", 1)
                    .with("live.max-sessions-per-target", 3)
                    .with("live.max-sessions-per-user", 5));
    port = system.node.httpPort();
    kim = system.login("kim");
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  /** Reads until the server closes the connection; fails if it is still open after 15 s. */
  private static long secondsUntilClosed(Socket socket, long startedNanos) throws IOException {
    socket.setSoTimeout(15_000);
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[4096];
    while (in.read(buffer) >= 0) {
      // the answer, pings: read on until the end
    }
    return Duration.ofNanos(System.nanoTime() - startedNanos).toSeconds();
  }

  @Test
  @DisplayName("a keep-alive connection left idle after its answer is closed by the server")
  void idleConnectionClosed() throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      long t = System.nanoTime();
      OutputStream out = socket.getOutputStream();
      out.write("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      long seconds = secondsUntilClosed(socket, t);
      assertThat(seconds).isBetween((long) IDLE_SECONDS - 1, (long) READ_SECONDS + 5);
    }
  }

  @Test
  @DisplayName("a request that never finishes (half-open, slow client) is closed by the server")
  void halfOpenClosed() throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      long t = System.nanoTime();
      socket.getOutputStream().write("GET /api/stores HTTP/1.1\r\nHost:".getBytes());
      long seconds = secondsUntilClosed(socket, t);
      assertThat(seconds).isLessThanOrEqualTo(READ_SECONDS + 5);
    }
  }

  @Test
  @DisplayName(
      "a WebSocket that does not answer the server's pings is closed; one that does stays open")
  void deadWebSocketClosedLiveOneKept() throws IOException {
    String store = system.login("store-1");
    WsClient live = WsClient.connect(system, "/ws/store", store);
    try (Socket socket = new Socket("127.0.0.1", port)) {
      long t = System.nanoTime();
      socket
          .getOutputStream()
          .write(
              ("GET /ws/store?token="
                      + store
                      + " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                      + "Sec-WebSocket-Version: 13\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      // reads the upgrade, the snapshot and the pings, but never sends a pong
      long seconds = secondsUntilClosed(socket, t);
      assertThat(seconds).isLessThanOrEqualTo(READ_SECONDS + 5);
    }
    await("the live socket, answering pings, stays open past the read timeout")
        .during(Duration.ofSeconds(READ_SECONDS + 2))
        .atMost(Duration.ofSeconds(READ_SECONDS + 5))
        .until(() -> !live.isClosed());
    live.close();
  }

  @Test
  @DisplayName(
      "one user gets at most 3 sessions on one order and 5 in all: more are refused with 429;"
          + " closing one makes room")
  void sessionCaps() {
    String first = system.placeAs(kim, chickenOrder(GOOD_CARD));
    String second = system.placeAs(kim, chickenOrder(GOOD_CARD));
    List<WsClient> open = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      open.add(WsClient.connect(system, "/ws/orders/" + first, kim));
    }
    assertRefused(429, "/ws/orders/" + first, kim);
    open.add(WsClient.connect(system, "/ws/orders/" + second, kim));
    open.add(WsClient.connect(system, "/ws/orders/" + second, kim));
    assertRefused(429, "/ws/orders/" + second, kim); // 5 in all
    // another user is not affected
    WsClient owner = WsClient.connect(system, "/ws/orders/" + first, system.login("store-1"));
    open.get(0).close();
    await("a session closed makes room")
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(() -> open.add(WsClient.connect(system, "/ws/orders/" + first, kim)));
    open.forEach(WsClient::close);
    owner.close();
  }

  private static void assertRefused(int status, String path, String token) {
    assertThatThrownBy(() -> WsClient.connect(system, path, token))
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(UpgradeRejectedException.class)
        .satisfies(e -> assertThat(((UpgradeRejectedException) e).getStatus()).isEqualTo(status));
  }

  @Test
  @DisplayName("a correctly signed token without exp is refused on HTTP and WebSocket (401)")
  void tokenWithoutExpiry() {
    JWTAuth jwt =
        JWTAuth.create(
            system.node.vertx(),
            new JWTAuthOptions()
                .addPubSecKey(
                    new PubSecKeyOptions()
                        .setAlgorithm("HS256")
                        .setBuffer(system.settings.string("jwt.secret"))));
    String forever =
        jwt.generateToken(
            new JsonObject().put("sub", "kim").put("role", "customer"), new JWTOptions());
    assertThat(forever.split("\\.")[1]).doesNotContain("exp");
    assertThat(system.get("/api/orders", forever).status()).isEqualTo(401);
    String order = system.placeAs(kim, chickenOrder(GOOD_CARD));
    assertRefused(401, "/ws/orders/" + order, forever);
    // the same claims with an expiry are fine
    assertThat(system.get("/api/orders", system.token("customer", "kim")).status()).isEqualTo(200);
  }

  @Test
  @DisplayName(
      "only POST /api/auth/login goes without a token: a path that merely ends like it is 401")
  void loginExemptionIsOneRoute() {
    assertThat(system.post("/api/store/orders/auth/login", null, new JsonObject()).status())
        .isEqualTo(401);
    assertThat(system.post("/api/rider/deliveries/auth/login", null, new JsonObject()).status())
        .isEqualTo(401);
    assertThat(
            system
                .post(
                    "/api/auth/login",
                    null,
                    new JsonObject().put("username", "kim").put("password", "kim-pass"))
                .status())
        .isEqualTo(200);
  }

  @Test
  @DisplayName(
      "pages and API answers carry CSP (own scripts, styles and ws: only, no framing), nosniff;"
          + " API answers are not cached; no HSTS over plain HTTP")
  void securityHeaders() {
    TestSystem.Response page = system.get("/", null);
    assertThat(page.status()).isEqualTo(200);
    String csp = page.header("Content-Security-Policy");
    assertThat(csp)
        .contains("default-src 'self'", "script-src 'self';", "style-src 'self'")
        .contains("connect-src 'self' ws: wss:", "frame-ancestors 'none'", "img-src 'self' data:;")
        .doesNotContain("unsafe-eval", "script-src 'self' 'unsafe-inline'");
    assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(page.header("Strict-Transport-Security")).isNull();
    TestSystem.Response api = system.get("/api/orders", kim);
    assertThat(api.header("Cache-Control")).isEqualTo("no-store");
    assertThat(api.header("X-Content-Type-Options")).isEqualTo("nosniff");
    TestSystem.Response problem = system.get("/api/orders", null);
    assertThat(problem.status()).isEqualTo(401);
    assertThat(problem.header("Cache-Control")).isEqualTo("no-store");
  }

  @Test
  @DisplayName(
      "readiness and metrics answer on the management port only; the API port keeps /health/live")
  void managementPort() {
    assertThat(system.get("/health/live", null).status()).isEqualTo(200);
    assertThat(system.get("/health/ready", null).status()).isEqualTo(404);
    assertThat(system.get("/metrics", null).status()).isEqualTo(404);
    assertThat(system.ops("/health/ready").status()).isEqualTo(200);
    assertThat(system.ops("/health/live").status()).isEqualTo(200);
    assertThat(system.metrics()).contains("# TYPE");
  }
}
