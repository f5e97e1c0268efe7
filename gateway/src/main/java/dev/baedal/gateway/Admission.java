package dev.baedal.gateway;

import dev.baedal.platform.Addresses;
import dev.baedal.platform.consistency.Backlog;
import dev.baedal.platform.http.ProblemException;
import dev.baedal.platform.metrics.Meters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;

/**
 * Admission control for new orders (contract section 2): when the event consumers that show an
 * order's progress are more than {@code admission.max-backlog-ms} behind, {@code POST /api/orders}
 * is refused at once with 503 and {@code Retry-After}, before anything is charged. Overload then
 * means a fast "try again" for new customers instead of minutes of lag for everyone; commands on
 * orders already placed and reads go on.
 *
 * <p>The figures are the consumers' from every node's {@link Backlog} reports; a node that stopped
 * reporting for a few report periods no longer counts. The outbox relays' backlog does not count: a
 * relay that cannot reach Kafka is an outage, not overload, and the outbox keeps the orders until
 * the broker is back.
 *
 * <p>The backlog shows overload only once the work has piled up behind the consumers; until then
 * placements pile up in front of them. So this gateway also lets at most {@code
 * admission.max-placing} placements through at once (a bulkhead) and refuses the next the same way:
 * without it, 512 clients placing at twice what the cores carry had hundreds of placements queued
 * for the pool's connections, their {@code 201}s came after seconds and payment calls timed out
 * (503 "payment is busy", and the breaker opened for everyone).
 */
final class Admission {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Admission.class);
  private static final long STALE_MS = 6 * Backlog.REPORT_MS;

  private final Vertx vertx;
  private final long maxBacklogMs;
  private final int maxPlacing;
  private int placing;
  private final Map<String, Report> reports = new HashMap<>();
  private final Counter refused =
      Counter.builder("baedal.admission.refused")
          .description("orders refused with 503 because the system was behind")
          .register(Meters.registry());
  private MessageConsumer<JsonObject> consumer;
  private long lastLogged;

  private record Report(JsonObject behind, long at) {}

  /**
   * @param maxBacklogMs the bound on the consumers' backlog; 0: none
   * @param maxPlacing the most placements let through at once; 0: no limit
   */
  Admission(Vertx vertx, long maxBacklogMs, int maxPlacing) {
    this.vertx = vertx;
    this.maxBacklogMs = maxBacklogMs;
    this.maxPlacing = maxPlacing;
    Gauge.builder("baedal.admission.placing", this, a -> a.placing)
        .description("placements this gateway has let through and not yet answered")
        .register(Meters.registry());
  }

  Future<Void> start() {
    consumer =
        vertx
            .eventBus()
            .consumer(
                Addresses.BACKLOG,
                m ->
                    reports.put(
                        m.body().getString("node"),
                        new Report(m.body().getJsonObject("behind"), System.currentTimeMillis())));
    return consumer.completion();
  }

  Future<Void> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  /**
   * The route handler in front of {@code POST /api/orders}: passes the request on, or fails it with
   * a 503 problem if the system is too far behind to take a new order now.
   */
  void gate(RoutingContext ctx) {
    check();
    if (maxPlacing > 0 && placing >= maxPlacing) {
      refuse(placing + " orders are being placed already", 1);
    }
    placing++;
    // whichever way the exchange ends: answered, failed, or the client gone
    ctx.addEndHandler(done -> placing--);
    ctx.next();
  }

  /** How far behind the slowest consumer is now (ms, from the last reports), 0 if none is. */
  long behindMs() {
    return slowest().ms();
  }

  private record Slowest(String consumer, long ms) {}

  private Slowest slowest() {
    long now = System.currentTimeMillis();
    Slowest worst = new Slowest(null, 0);
    for (Report r : reports.values()) {
      if (now - r.at > STALE_MS) {
        continue;
      }
      for (Map.Entry<String, Object> e : r.behind) {
        long behind = ((Number) e.getValue()).longValue();
        if (e.getKey().startsWith(Backlog.CONSUMER) && behind > worst.ms()) {
          worst = new Slowest(e.getKey(), behind);
        }
      }
    }
    return worst;
  }

  /** Fails with a 503 problem if the system is too far behind to take a new order now. */
  private void check() {
    if (maxBacklogMs <= 0) {
      return;
    }
    Slowest worst = slowest();
    if (worst.ms() > maxBacklogMs) {
      refuse(
          worst.consumer() + " is " + worst.ms() + " ms behind",
          Math.min(30, Math.max(1, (worst.ms() + 999) / 1000)));
    }
  }

  /** Fails with the 503 problem of overload, logging why at most every five seconds. */
  private void refuse(String why, long retryAfterSeconds) {
    refused.increment();
    long now = System.currentTimeMillis();
    if (now - lastLogged > 5000) {
      lastLogged = now;
      log.warn("new orders refused: {}", why);
    }
    throw new ProblemException(
        503,
        "Service Unavailable",
        "we are busy, please try again shortly",
        Map.of("Retry-After", String.valueOf(retryAfterSeconds)),
        new JsonObject());
  }
}
