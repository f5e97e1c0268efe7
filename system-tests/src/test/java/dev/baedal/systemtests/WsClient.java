package dev.baedal.systemtests;

import io.vertx.core.Promise;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * One of the live WebSockets, opened by {@link dev.baedal.bench.BaedalClient#socket}, collecting
 * the JSON messages it gets, each with the time it came.
 */
final class WsClient {
  /** A message and when it came (System.nanoTime). */
  record Received(JsonObject json, long at) {}

  final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile WebSocket socket;

  /** The close code (1006 when the connection ended without one), -1 while open. */
  volatile int closeCode = -1;

  /**
   * Opens {@code path} (e.g. {@code /ws/store}) on {@code api}'s system with {@code token} (none
   * when null). A refused handshake throws a CompletionException caused by Vert.x's {@link
   * io.vertx.core.http.UpgradeRejectedException}, which has the status.
   */
  static WsClient connect(Api api, String path, String token) {
    return open(api, path, token).orTimeout(60, TimeUnit.SECONDS).join();
  }

  /** Opens it without waiting for the handshake. */
  static CompletableFuture<WsClient> open(Api api, String path, String token) {
    WsClient client = new WsClient();
    Promise<WebSocket> opened = Promise.promise();
    // connected from the client's event loop, which is also the socket's: the handlers are set
    // before it can hand over a message
    Api.VERTX.runOnContext(
        v ->
            api.client
                .socket(path, token)
                .map(
                    ws -> {
                      ws.textMessageHandler(
                          text ->
                              client.received.add(
                                  new Received(new JsonObject(text), System.nanoTime())));
                      ws.closeHandler(
                          closed -> {
                            Short code = ws.closeStatusCode();
                            client.closeCode = code == null ? 1006 : code;
                          });
                      return ws;
                    })
                .onComplete(opened));
    return opened
        .future()
        .map(
            ws -> {
              client.socket = ws;
              return client;
            })
        .toCompletionStage()
        .toCompletableFuture();
  }

  /** A client that is not connected yet (its messages are none). */
  static WsClient placeholder() {
    return new WsClient();
  }

  List<JsonObject> messages() {
    return received.stream().map(Received::json).toList();
  }

  /** The statuses of the messages so far in the order they came, each change once. */
  List<String> statusChanges() {
    return statusChanges(List.of(), messages());
  }

  /**
   * {@code shown}, then the statuses of {@code messages} in their order, a status the same as the
   * one before it left out: what a watcher saw change.
   */
  static List<String> statusChanges(List<String> shown, List<JsonObject> messages) {
    List<String> changes = new ArrayList<>(shown);
    for (JsonObject m : messages) {
      String s = m.getString("status");
      if (changes.isEmpty() || !changes.get(changes.size() - 1).equals(s)) {
        changes.add(s);
      }
    }
    return changes;
  }

  void send(JsonObject message) {
    socket.writeTextMessage(message.encode()).toCompletionStage().toCompletableFuture().join();
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
      socket
          .close((short) 1000, "bye")
          .toCompletionStage()
          .toCompletableFuture()
          .orTimeout(10, TimeUnit.SECONDS)
          .exceptionally(e -> null)
          .join();
    }
  }
}
