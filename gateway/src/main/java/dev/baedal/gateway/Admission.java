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
import java.util.function.Supplier;

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
 * admission.max-placing} placements through to the order context at once (a bulkhead, {@link
 * #withPlace}) and refuses the next the same way: without it, 512 clients placing at twice what the
 * cores carry had hundreds of placements queued for the pool's connections, their {@code 201}s came
 * after seconds and payment calls timed out (503 "payment is busy", and the breaker opened for
 * everyone). A place is taken only once the request is authenticated and valid, so clients that
 * hold back their bodies cannot fill the places; {@link #gate} refuses at once, before the body is
 * read, while they are all taken.
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
          .description("orders refused with 503: the system was behind, or busy placing others")
          .register(Meters.registry());
  private final Gauge placingGauge;
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
    this.placingGauge =
        Gauge.builder("baedal.admission.placing", this, a -> a.placing)
            .description("placements this gateway has passed to the order context, not yet done")
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
    Meters.registry().remove(placingGauge);
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  /**
   * The route handler in front of {@code POST /api/orders}, before its body is read or its token
   * checked: passes the request on, or fails it with a 503 problem if the system is too far behind,
   * or too busy placing other orders, to take a new one now.
   */
  void gate(RoutingContext ctx) {
    check();
    checkPlaces();
    ctx.next();
  }

  /**
   * Runs a placement in one of the places {@code admission.max-placing} allows, freed when it is
   * done (whatever its outcome, and also if the client has gone meanwhile); a failed future with
   * the overload 503 if they are all taken.
   */
  <T> Future<T> withPlace(Supplier<Future<T>> placement) {
    try {
      checkPlaces();
    } catch (ProblemException full) {
      return Future.failedFuture(full);
    }
    placing++;
    Future<T> done;
    try {
      done = placement.get();
    } catch (RuntimeException e) {
      done = Future.failedFuture(e);
    }
    return done.andThen(ar -> placing--);
  }

  private void checkPlaces() {
    if (maxPlacing > 0 && placing >= maxPlacing) {
      refuse(placing + " orders are being placed already", 1);
    }
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
