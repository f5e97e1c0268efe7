package dev.baedal.platform.consistency;

import dev.baedal.platform.Addresses;
import dev.baedal.platform.metrics.Meters;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.UUID;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * How far behind this process's event pipelines are: each consumer (and each outbox relay) tells
 * how long its oldest record not yet handled has been waiting. Every {@link #REPORT_MS} ms the
 * figures go out on the event bus ({@link Addresses#BACKLOG}, to every node of a cluster), where
 * the gateway's admission control reads them, and each is a gauge {@code baedal_backlog_seconds}.
 */
public final class Backlog {
  public static final long REPORT_MS = 250;

  /** The prefix of a consumer's name in the reports ({@code "consumer query-views"}). */
  public static final String CONSUMER = "consumer ";

  /** The prefix of an outbox relay's name in the reports ({@code "outbox order_svc"}). */
  public static final String OUTBOX = "outbox ";

  private static final Map<Vertx, Backlog> INSTANCES = new WeakHashMap<>();

  private final Vertx vertx;
  private final String node = UUID.randomUUID().toString();
  private final Map<String, LongSupplier> sources = new ConcurrentHashMap<>();
  private final Map<String, Gauge> gauges = new ConcurrentHashMap<>();
  private long timer = -1;

  private Backlog(Vertx vertx) {
    this.vertx = vertx;
  }

  public static synchronized Backlog of(Vertx vertx) {
    return INSTANCES.computeIfAbsent(vertx, Backlog::new);
  }

  /** {@code behindMs}: how long the oldest record not yet handled has waited, 0 when none. */
  public synchronized void register(String name, LongSupplier behindMs) {
    sources.put(name, behindMs);
    gauges.put(
        name,
        Gauge.builder("baedal.backlog", () -> behindMs.getAsLong() / 1000.0)
            .description("how long the oldest event not yet handled has waited")
            .baseUnit("seconds")
            .tag("name", name)
            .strongReference(true)
            .register(Meters.registry()));
    if (timer == -1) {
      timer = vertx.setPeriodic(REPORT_MS, id -> report());
    }
  }

  public synchronized void unregister(String name) {
    sources.remove(name);
    Gauge g = gauges.remove(name);
    if (g != null) {
      Meters.registry().remove(g);
    }
    if (sources.isEmpty() && timer != -1) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /** Whether any pipeline of this process has something not yet handled. */
  public boolean anyBehind() {
    for (LongSupplier source : sources.values()) {
      if (source.getAsLong() > 0) {
        return true;
      }
    }
    return false;
  }

  /** Each source's figure now, in ms. */
  public JsonObject behind() {
    JsonObject out = new JsonObject();
    sources.forEach((name, source) -> out.put(name, source.getAsLong()));
    return out;
  }

  private void report() {
    vertx
        .eventBus()
        .publish(Addresses.BACKLOG, new JsonObject().put("node", node).put("behind", behind()));
  }
}
