package dev.baedal.launcher;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * What {@code baedal bench} measures, for the orders placed in the measured window (HdrHistogram,
 * microseconds):
 *
 * <ul>
 *   <li>{@code place}: {@code POST /api/orders}, request to response;
 *   <li>{@code view}: the 201 to the first {@code GET /api/orders/{id}} that finds the order
 *       (polled every 5 ms, so it reads up to one poll and one round trip high);
 *   <li>{@code webSocket}: the answer to each command (accept, cooking, claim, pick-up, delivery,
 *       confirmation) to the message with the status it leads to on the customer's WebSocket;
 *   <li>{@code notification}: the 201 to the time on the notifier's {@code sent} receipt of the
 *       "order paid" notification (read from the query view at the end of the order's life);
 *   <li>{@code lifecycle}: the 201 to the end of the whole life of the order.
 * </ul>
 */
final class BenchStats {
  private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(10);

  private final Histogram place = histogram();
  private final Histogram view = histogram();
  private final Histogram webSocket = histogram();
  private final Histogram notification = histogram();
  private final Histogram lifecycle = histogram();
  private final Map<String, Long> errors = new TreeMap<>();
  private final Map<String, Long> failures = new TreeMap<>();
  private long placed;
  private long completed;
  private long notificationsMissing;
  private long skipped;
  private long unfinished;

  private static Histogram histogram() {
    return new Histogram(MAX_MICROS, 3);
  }

  synchronized void placed(boolean measured, long nanos, int status) {
    if (!measured) {
      return;
    }
    place.recordValue(micros(nanos));
    if (status == 201) {
      placed++;
    } else {
      error(status);
    }
  }

  synchronized void viewLag(long nanos) {
    view.recordValue(micros(nanos));
  }

  synchronized void webSocketLag(long nanos) {
    webSocket.recordValue(micros(nanos));
  }

  synchronized void notificationLag(long nanos) {
    notification.recordValue(micros(nanos));
  }

  synchronized void notificationMissing() {
    notificationsMissing++;
  }

  synchronized void completed(long nanos) {
    completed++;
    lifecycle.recordValue(micros(nanos));
  }

  synchronized void failed(String why) {
    failures.merge(why == null ? "unknown" : why, 1L, Long::sum);
  }

  synchronized void error(int status) {
    errors.merge(status == 0 ? "no-response" : String.valueOf(status), 1L, Long::sum);
  }

  /** An order the open loop could not start because --concurrency were still in flight. */
  synchronized void skipped(boolean measured) {
    if (measured) {
      skipped++;
    }
  }

  synchronized void unfinished(int trips) {
    unfinished = trips;
  }

  synchronized String progress(double seconds) {
    return String.format(
        "placed %6d  %6.1f/s  place p99 %6.1f ms  view p99 %6.1f ms  ws p99 %6.1f ms"
            + "  completed %6d  errors %d",
        placed,
        placed / seconds,
        ms(place, 99),
        ms(view, 99),
        ms(webSocket, 99),
        completed,
        errors.values().stream().mapToLong(Long::longValue).sum());
  }

  synchronized JsonObject result(int durationSeconds, JsonObject settings) {
    return new JsonObject()
        .put("settings", settings)
        .put("placed", placed)
        .put("ordersPerSecond", round(placed / (double) durationSeconds))
        .put("completed", completed)
        .put("skipped", skipped)
        .put("unfinished", unfinished)
        .put("placeLatencyMs", percentiles(place))
        .put("viewLagMs", percentiles(view))
        .put("webSocketLagMs", percentiles(webSocket))
        .put("notificationLagMs", percentiles(notification))
        .put("notificationsMissing", notificationsMissing)
        .put("lifecycleMs", percentiles(lifecycle))
        .put("errors", json(errors))
        .put("failures", json(failures));
  }

  synchronized String report(int durationSeconds) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            "placed %d orders in %d s: %.1f orders/s; %d lifecycles completed%n",
            placed, durationSeconds, placed / (double) durationSeconds, completed));
    line(out, "POST /api/orders", place);
    line(out, "placed -> query view", view);
    line(out, "command -> WebSocket", webSocket);
    line(out, "placed -> notification sent", notification);
    line(out, "whole lifecycle", lifecycle);
    if (notificationsMissing > 0) {
      out.append(
          String.format(
              "%d 'order paid' notifications not sent within 10 s of the end of their order (is the"
                  + " notifier running, and keeping up?)%n",
              notificationsMissing));
    }
    if (skipped > 0) {
      out.append(
          String.format(
              "%d orders not started: --concurrency orders were still in flight%n", skipped));
    }
    if (unfinished > 0) {
      out.append(String.format("%d lifecycles still unfinished after a minute%n", unfinished));
    }
    out.append(String.format("errors by status: %s%n", errors.isEmpty() ? "none" : errors));
    if (!failures.isEmpty()) {
      out.append(String.format("failed lifecycles: %s%n", failures));
    }
    return out.toString();
  }

  private static void line(StringBuilder out, String what, Histogram h) {
    if (h.getTotalCount() == 0) {
      return;
    }
    out.append(
        String.format(
            "  %-28s p50 %7.1f ms  p99 %7.1f ms  p99.9 %7.1f ms  max %7.1f ms  (n=%d)%n",
            what, ms(h, 50), ms(h, 99), ms(h, 99.9), h.getMaxValue() / 1000.0, h.getTotalCount()));
  }

  private static JsonObject percentiles(Histogram h) {
    return new JsonObject()
        .put("count", h.getTotalCount())
        .put("p50", round(ms(h, 50)))
        .put("p99", round(ms(h, 99)))
        .put("p99.9", round(ms(h, 99.9)))
        .put("max", round(h.getMaxValue() / 1000.0));
  }

  private static JsonObject json(Map<String, Long> counts) {
    JsonObject out = new JsonObject();
    counts.forEach(out::put);
    return out;
  }

  private static double ms(Histogram h, double percentile) {
    return h.getValueAtPercentile(percentile) / 1000.0;
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }

  private static long micros(long nanos) {
    return Math.min(MAX_MICROS, Math.max(1, nanos / 1000));
  }
}
