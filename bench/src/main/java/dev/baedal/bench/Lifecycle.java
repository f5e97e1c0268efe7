package dev.baedal.bench;

import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * One order's life as the benchmark's clients see it: when it was placed, which statuses its
 * customer's WebSocket showed and when, which commands were answered and when, and which steps the
 * store and the rider have taken (so each is taken once).
 */
final class Lifecycle {
  final String orderId;
  final Cast cast;

  /** Whether it was placed in the measured window: only then do its figures count. */
  final boolean measured;

  /** nanoTime of the 201. */
  final long placedNanos;

  /** The order's createdAt, epoch ms (the server's clock: this machine's). */
  final long createdAtMs;

  final Map<String, Long> shown = new HashMap<>();
  final Map<String, Long> answered = new HashMap<>();

  /** For the work lags: when a command was answered and when the push it led to came. */
  private final Map<String, long[]> work = new HashMap<>();

  final Set<String> steps = new HashSet<>();
  WebSocket socket;
  boolean completed;
  boolean notified;
  String lastStatus = "PAID";

  Lifecycle(String orderId, Cast cast, boolean measured, long placedNanos, JsonObject receipt) {
    this.orderId = orderId;
    this.cast = cast;
    this.measured = measured;
    this.placedNanos = placedNanos;
    this.createdAtMs = Instant.parse(receipt.getString("createdAt")).toEpochMilli();
  }

  /** Records a step; false if it was taken already. */
  boolean step(String name) {
    return steps.add(name);
  }

  /**
   * The command that leads to {@code status} was answered now; returns the WebSocket lag if the
   * status was shown already (0), else -1 (it is recorded when the message comes).
   */
  long answered(String status, long now) {
    answered.put(status, now);
    return shown.containsKey(status) ? 0 : -1;
  }

  /** The customer's socket showed {@code status} now; returns the lag from its command, or -1. */
  long shown(String status, long now) {
    if (shown.putIfAbsent(status, now) != null) {
      return -1;
    }
    lastStatus = status;
    Long command = answered.get(status);
    return command == null ? -1 : Math.max(0, now - command);
  }

  /**
   * One side of a work lag: the command that makes new work for someone ({@code push} false) or the
   * push that tells them ({@code push} true). Returns the lag once both are known, else -1.
   */
  long work(String name, boolean push, long now) {
    long[] sides = work.computeIfAbsent(name, k -> new long[] {-1, -1});
    int side = push ? 1 : 0;
    if (sides[side] != -1) {
      return -1;
    }
    sides[side] = now;
    return sides[0] == -1 || sides[1] == -1 ? -1 : Math.max(0, sides[1] - sides[0]);
  }

  /** When the "order paid" notification was sent (epoch ms), from a view, or 0 if not yet. */
  static long paidNotificationSent(JsonObject view) {
    JsonArray notifications = view == null ? null : view.getJsonArray("notifications");
    if (notifications == null) {
      return 0;
    }
    for (int i = 0; i < notifications.size(); i++) {
      JsonObject n = notifications.getJsonObject(i);
      if ("order_paid".equals(n.getString("type")) && "sent".equals(n.getString("status"))) {
        return Instant.parse(n.getString("at")).toEpochMilli();
      }
    }
    return 0;
  }
}
