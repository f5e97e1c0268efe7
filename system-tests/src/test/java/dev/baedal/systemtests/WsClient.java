package dev.baedal.systemtests;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * A real WebSocket client (the JDK's) on one of the live endpoints, collecting the JSON messages it
 * gets, each with the time it came.
 */
final class WsClient implements WebSocket.Listener {
  /** A message and when it came (System.nanoTime). */
  record Received(JsonObject json, long at) {}

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  final List<Received> received = new CopyOnWriteArrayList<>();
  private final StringBuilder partial = new StringBuilder();
  private volatile WebSocket socket;
  volatile int closeCode = -1;

  /** Opens {@code path} (e.g. {@code /ws/store}) with {@code token} (none when null). */
  static WsClient connect(int port, String path, String token) {
    WsClient client = new WsClient();
    String uri =
        "ws://127.0.0.1:"
            + port
            + path
            + (token == null ? "" : (path.contains("?") ? "&" : "?") + "token=" + token);
    client.socket =
        HTTP.newWebSocketBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .buildAsync(URI.create(uri), client)
            .join();
    return client;
  }

  /** Opens it without waiting: for tests that open many at once. */
  static CompletableFuture<WsClient> open(int port, String path, String token) {
    WsClient client = new WsClient();
    String uri = "ws://127.0.0.1:" + port + path + "?token=" + token;
    return HTTP.newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(10))
        .buildAsync(URI.create(uri), client)
        .thenApply(
            ws -> {
              client.socket = ws;
              return client;
            });
  }

  /** A client that is not connected yet (its messages are none). */
  static WsClient placeholder() {
    return new WsClient();
  }

  List<JsonObject> messages() {
    return received.stream().map(Received::json).toList();
  }

  void send(JsonObject message) {
    socket.sendText(message.encode(), true).join();
  }

  /** Waits for a message that matches; returns it. */
  JsonObject await(String what, Predicate<JsonObject> matches) {
    JsonObject[] found = new JsonObject[1];
    Awaitility.await(what)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              for (Received r : received) {
                if (matches.test(r.json())) {
                  found[0] = r.json();
                  return true;
                }
              }
              return false;
            });
    return found[0];
  }

  boolean isClosed() {
    return closeCode != -1;
  }

  void close() {
    if (socket != null && !isClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    }
  }

  @Override
  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      received.add(new Received(new JsonObject(partial.toString()), System.nanoTime()));
      partial.setLength(0);
    }
    ws.request(1);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
    closeCode = statusCode;
    return CompletableFuture.completedFuture(null);
  }
}
