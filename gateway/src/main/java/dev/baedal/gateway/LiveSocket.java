package dev.baedal.gateway;

import io.vertx.core.http.ServerWebSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One live WebSocket and what it was sent: the version of each thing (an order, a delivery) it has
 * seen, so every change reaches it once, in order, and never an older state after a newer one.
 *
 * <p>A socket is registered with its feed before its snapshot is read: changes that arrive while
 * the snapshot is on its way wait, and after the snapshot only those newer than it are delivered.
 * So nothing committed between the snapshot and the stream is lost, whatever the timing. The same
 * holds whenever the socket asks for a fresh snapshot ({@link #pause}, then {@link #resume}).
 */
abstract class LiveSocket {
  /** Versions remembered per socket; the oldest are forgotten past this. */
  private static final int REMEMBERED = 10_000;

  private ServerWebSocket ws;
  private final Map<String, Long> seen =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
          return size() > REMEMBERED;
        }
      };
  private List<Change> waiting = new ArrayList<>();

  private record Change(String key, long version, Object body) {}

  /** The socket, once the handshake is done. */
  void attach(ServerWebSocket socket) {
    this.ws = socket;
  }

  ServerWebSocket ws() {
    return ws;
  }

  /** A change from the feed; while a snapshot is on its way it waits for it. */
  final void change(String key, long version, Object body) {
    if (waiting != null) {
      waiting.add(new Change(key, version, body));
    } else {
      offer(key, version, body);
    }
  }

  /** Holds the changes back until {@link #resume}, e.g. while a fresh snapshot is read. */
  final void pause() {
    if (waiting == null) {
      waiting = new ArrayList<>();
    }
  }

  /** A snapshot with these versions was sent: deliver what came meanwhile and is newer. */
  final void resume(Map<String, Long> snapshot) {
    snapshot.forEach(this::saw);
    List<Change> held = waiting;
    waiting = null;
    if (held != null) {
      held.forEach(c -> offer(c.key, c.version, c.body));
    }
  }

  /** The version of {@code key} this socket has, 0 for none. */
  final long version(String key) {
    return seen.getOrDefault(key, 0L);
  }

  /** Records that the socket has {@code key} at {@code version}; false if it had it already. */
  final boolean saw(String key, long version) {
    Long had = seen.get(key);
    if (had != null && version <= had) {
      return false;
    }
    seen.put(key, version);
    return true;
  }

  private void offer(String key, long version, Object body) {
    if (saw(key, version)) {
      deliver(key, version, body);
    }
  }

  /** A change this socket has not seen yet: the feed's message, as the feed passed it on. */
  abstract void deliver(String key, long version, Object body);

  final void send(String text) {
    if (ws != null && !ws.isClosed()) {
      ws.writeTextMessage(text);
    }
  }
}
