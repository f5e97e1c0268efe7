package dev.baedal.bench;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * What one run of {@code baedal bench} measures, for the orders placed in the measured window
 * (HdrHistogram, microseconds). Every HTTP answer of 400 or more is an error, by status, except the
 * 409 a rider gets for a claim another rider won: those are counted on their own.
 */
final class BenchStats {
  private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(10);

  /** The lags: name in the JSON, and what it measures. */
  static final Map<String, String> LAGS =
      Map.of(
          "view", "placed -> query view",
          "websocket", "command -> /ws/orders",
          "work", "order event -> /ws/store, /ws/rider",
          "notification", "placed -> notification sent");

  /** Distinct reasons kept; the rest are counted by status alone. */
  static final int MAX_REASONS = 20;

  /** Distinct reasons a placement's 503 is timed by; the rest together. */
  static final int MAX_REFUSAL_REASONS = 4;

  private static final Pattern UUID_TEXT =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private final Histogram place = histogram();
  private final Histogram refused = histogram();
  private final Map<String, Histogram> refusedBy = new TreeMap<>();
  private final Map<String, Histogram> lags = new LinkedHashMap<>();
  private final Histogram lifecycle = histogram();
  private final Map<Integer, Long> errors = new TreeMap<>();
  private final Map<String, Long> reasons = new TreeMap<>();
  private final Map<String, Long> failures = new TreeMap<>();
  private long placed;
  private long completed;
  private long requests;
  private long lostClaims;
  private long skipped;
  private long notificationsMissing;

  BenchStats() {
    for (String name : new String[] {"view", "websocket", "work", "notification"}) {
      lags.put(name, histogram());
    }
  }

  private static Histogram histogram() {
    return new Histogram(MAX_MICROS, 3);
  }

  /**
   * A placement answered with {@code status} after {@code nanos}; {@code why} is the problem's
   * detail of an error (null if none).
   */
  void placement(long nanos, int status, String why) {
    place.recordValue(micros(nanos));
    if (status == 201) {
      placed++;
    } else if (status == 503) {
      // admission control (or a context that is down): still an error, but timed on its own,
      // since under overload it is the answer the excess should get, and fast; and by reason, so
      // that a payment call that timed out (after breaker.timeout-ms) is not taken for a refusal
      refused.recordValue(micros(nanos));
      String reason = why == null ? "(no detail)" : reason(why);
      if (refusedBy.size() >= MAX_REFUSAL_REASONS && !refusedBy.containsKey(reason)) {
        reason = "(further reasons)";
      }
      refusedBy.computeIfAbsent(reason, r -> histogram()).recordValue(micros(nanos));
    }
  }

  /**
   * An HTTP request (or WebSocket handshake) made for a measured order, and how it was answered; an
   * error is also counted by {@code what} was asked (e.g. {@code place}, {@code store accept}) and
   * {@code why} it failed (the problem's detail, or the client's failure when no answer came), so a
   * report says which call failed and how.
   */
  void request(int status, boolean lostClaim, String what, String why) {
    requests++;
    if (lostClaim) {
      lostClaims++;
    } else if (status >= 400 || status == 0) {
      errors.merge(status, 1L, Long::sum);
      String reason =
          reason(
              status
                  + " "
                  + (what == null ? "" : what + ": ")
                  + (why == null ? "(no detail)" : why));
      if (reasons.size() >= MAX_REASONS && !reasons.containsKey(reason)) {
        reason = status + " (further reasons not told apart)";
      }
      reasons.merge(reason, 1L, Long::sum);
    }
  }

  /** {@code text} with ids as {@code {id}}, so the same failure on many orders is one reason. */
  private static String reason(String text) {
    return UUID_TEXT.matcher(text.strip()).replaceAll("{id}");
  }

  void lag(String name, long nanos) {
    lags.get(name).recordValue(micros(Math.max(0, nanos)));
  }

  /**
   * A lag of {@code order}, if it is measured and the lag is known ({@link Lifecycle}'s lags are
   * negative when their start was not seen).
   */
  void lag(Lifecycle order, String name, long nanos) {
    if (order.measured && nanos >= 0) {
      lag(name, nanos);
    }
  }

  void completed(long nanos) {
    completed++;
    lifecycle.recordValue(micros(nanos));
  }

  void failed(String why) {
    failures.merge(why, 1L, Long::sum);
  }

  void notificationMissing() {
    notificationsMissing++;
  }

  /** The open loop could not start an order on time: too many in flight already. */
  void skipped() {
    skipped++;
  }

  long completed() {
    return completed;
  }

  long errorCount() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }

  double p99Millis(String lag) {
    return lags.get(lag).getValueAtPercentile(99) / 1000.0;
  }

  /** One line every second while the run goes on. */
  String progress(double seconds) {
    return String.format(
        "placed %6d %6.1f/s  completed %6d  view p99 %7.1f ms  ws p99 %7.1f ms  work p99 %7.1f ms"
            + "  errors %d",
        placed,
        placed / seconds,
        completed,
        p99Millis("view"),
        p99Millis("websocket"),
        p99Millis("work"),
        errorCount());
  }

  /** Everything, as {@code --json} writes it. */
  JsonObject result(
      double seconds,
      Map<String, Double> cpuSeconds,
      long lifecyclesInWindow,
      Map<String, Double> pss,
      JsonObject run) {
    JsonObject cpu = new JsonObject();
    cpuSeconds.forEach(
        (k, v) -> cpu.put(k, lifecyclesInWindow == 0 ? null : round(v / lifecyclesInWindow, 4)));
    JsonObject cpuTotal = new JsonObject();
    cpuSeconds.forEach((k, v) -> cpuTotal.put(k, round(v, 2)));
    JsonObject memory = new JsonObject();
    pss.forEach((k, v) -> memory.put(k, round(v, 1)));
    JsonObject lagsMs = new JsonObject();
    lags.forEach((k, h) -> lagsMs.put(k, percentiles(h)));
    JsonObject errorsByStatus = new JsonObject();
    errors.forEach((k, v) -> errorsByStatus.put(String.valueOf(k), v));
    JsonObject errorsByReason = new JsonObject();
    reasons.forEach(errorsByReason::put);
    JsonObject failuresJson = new JsonObject();
    failures.forEach(failuresJson::put);
    return new JsonObject()
        .put("run", run)
        .put("placed", placed)
        .put("completed", completed)
        .put("lifecyclesPerSecond", round(completed / seconds, 2))
        .put("ordersPerSecond", round(placed / seconds, 2))
        .put("errors", errorCount())
        .put("errorsByStatus", errorsByStatus)
        .put("errorsByReason", errorsByReason)
        .put("lostClaims", lostClaims)
        .put("skipped", skipped)
        .put("failures", failuresJson)
        .put(
            "requestsPerLifecycle", completed == 0 ? null : round((double) requests / completed, 2))
        .put("cpuSecondsPerLifecycle", cpu)
        .put("cpuSeconds", cpuTotal)
        .put("pssMiB", memory)
        .put("placeMs", percentiles(place))
        .put("refusedMs", percentiles(refused))
        .put("refusedByReasonMs", refusedByReason())
        .put("lifecycleMs", percentiles(lifecycle))
        .put("lagsMs", lagsMs)
        .put("notificationsMissing", notificationsMissing);
  }

  /** The same, for people. */
  static String report(JsonObject r) {
    StringBuilder out = new StringBuilder();
    boolean lifecycles = r.getJsonObject("run").getBoolean("lifecycle");
    if (lifecycles) {
      out.append(
          String.format(
              "%d lifecycles completed of %d placed: %.2f lifecycles/s%n",
              r.getLong("completed"), r.getLong("placed"), r.getDouble("lifecyclesPerSecond")));
    } else {
      out.append(
          String.format(
              "%d orders placed: %.2f orders/s (placing only: the CPU below is per order placed)%n",
              r.getLong("placed"), r.getDouble("ordersPerSecond")));
    }
    line(out, "POST /api/orders", r.getJsonObject("placeMs"));
    JsonObject lagsMs = r.getJsonObject("lagsMs");
    for (String name : new String[] {"view", "websocket", "work", "notification"}) {
      line(out, LAGS.get(name), lagsMs.getJsonObject(name));
    }
    line(out, "whole lifecycle", r.getJsonObject("lifecycleMs"));
    if (r.getValue("requestsPerLifecycle") != null) {
      out.append(
          String.format(
              "HTTP requests per lifecycle: %s (commands, sockets and logins)%n",
              r.getValue("requestsPerLifecycle")));
    }
    out.append(lifecycles ? "CPU seconds per lifecycle:" : "CPU seconds per order placed:");
    r.getJsonObject("cpuSecondsPerLifecycle")
        .forEach(e -> out.append(String.format("  %s %s", e.getKey(), e.getValue())));
    out.append(String.format("%nmemory (PSS, MiB):"));
    r.getJsonObject("pssMiB")
        .forEach(e -> out.append(String.format("  %s %s", e.getKey(), e.getValue())));
    out.append(String.format("%n"));
    troubles(out, r);
    return out.toString();
  }

  /** Errors, refusals and unfinished work, with a hint where one helps. */
  private static void troubles(StringBuilder out, JsonObject r) {
    out.append(String.format("errors: %d", r.getLong("errors")));
    if (r.getLong("errors") > 0) {
      out.append(" by status ").append(r.getJsonObject("errorsByStatus").encode());
    }
    out.append(String.format("%n"));
    r.getJsonObject("errorsByReason", new JsonObject())
        .forEach(e -> out.append(String.format("  %6d  %s%n", (Long) e.getValue(), e.getKey())));
    out.append(
        String.format(
            "lost claim races (409: another rider was first; not errors): %d%n",
            r.getLong("lostClaims")));
    if (r.getJsonObject("errorsByStatus").containsKey("429")) {
      out.append(
          "429: two customers play every customer here, and watch more orders at once than"
              + " live.max-sessions-per-user allows; for overload runs start Baedal with"
              + " BAEDAL_LIVE_MAX_SESSIONS_PER_USER=4096\n");
    }
    line(out, "POST /api/orders answered 503", r.getJsonObject("refusedMs"));
    JsonObject byReason = r.getJsonObject("refusedByReasonMs", new JsonObject());
    if (byReason.size() > 1) {
      byReason.forEach(e -> line(out, "  of which", (JsonObject) e.getValue(), "  " + e.getKey()));
    }
    if (r.getLong("skipped") > 0) {
      out.append(
          String.format(
              "%d orders not started: --concurrency orders were already in flight%n",
              r.getLong("skipped")));
    }
    if (!r.getJsonObject("failures").isEmpty()) {
      out.append("unfinished lifecycles: ")
          .append(r.getJsonObject("failures").encode())
          .append('\n');
    }
    if (r.getLong("notificationsMissing") > 0) {
      out.append(
          String.format(
              "%d 'order paid' notifications not sent within the grace period (is the notifier"
                  + " running?)%n",
              r.getLong("notificationsMissing")));
    }
  }

  /** A latency's line; none for one that was not measured (a lag of --place-only, say). */
  private static void line(StringBuilder out, String what, JsonObject p) {
    line(out, what, p, "");
  }

  /** One line of percentiles, {@code after} at its end. */
  private static void line(StringBuilder out, String what, JsonObject p, String after) {
    if (p.getLong("n") == 0) {
      return;
    }
    out.append(
        String.format(
            "  %-38s p50 %8.1f ms  p99 %8.1f ms  p99.9 %8.1f ms  max %8.1f ms  (n=%d)%s%n",
            what,
            p.getDouble("p50"),
            p.getDouble("p99"),
            p.getDouble("p999"),
            p.getDouble("max"),
            p.getLong("n"),
            after));
  }

  private JsonObject refusedByReason() {
    JsonObject out = new JsonObject();
    refusedBy.forEach((reason, h) -> out.put(reason, percentiles(h)));
    return out;
  }

  private static JsonObject percentiles(Histogram h) {
    return new JsonObject()
        .put("p50", h.getValueAtPercentile(50) / 1000.0)
        .put("p99", h.getValueAtPercentile(99) / 1000.0)
        .put("p999", h.getValueAtPercentile(99.9) / 1000.0)
        .put("max", h.getMaxValue() / 1000.0)
        .put("n", h.getTotalCount());
  }

  private static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }

  private static long micros(long nanos) {
    return Math.min(MAX_MICROS, Math.max(0, TimeUnit.NANOSECONDS.toMicros(nanos)));
  }
}
