package dev.baedal.platform.kafka;

import dev.baedal.platform.Settings;
import dev.baedal.platform.health.Readiness;
import dev.baedal.platform.metrics.Meters;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an eye on the dead-letter queues for operators: every {@code dlq.check-interval-ms} it
 * counts the records in each queue not yet redriven ({@link DeadLetters#pending}) and shows them as
 * the gauge {@code baedal_dlq_records{queue=...}} on {@code /metrics} and as the {@code
 * dead-letters} detail of {@code /health/ready} (a detail: dead letters do not stop the process
 * from taking orders; they need a person, see {@code baedal dlq}).
 */
public final class DeadLetterWatch {
  private static final Logger log = LoggerFactory.getLogger(DeadLetterWatch.class);
  private static final String CHECK = "dead-letters";

  private final Vertx vertx;
  private final DeadLetters queues;
  private final Map<String, Long> counts = new ConcurrentHashMap<>();
  private final long timer;
  private volatile String failure = "not counted yet";
  private boolean counting;

  private DeadLetterWatch(Vertx vertx, Settings settings) {
    this.vertx = vertx;
    this.queues = new DeadLetters(settings);
    for (String queue : queues.queues()) {
      counts.put(queue, 0L);
      Gauge.builder("baedal.dlq.records", counts, c -> c.getOrDefault(queue, 0L))
          .description("records in a dead-letter queue not yet redriven (baedal dlq redrive)")
          .tag("queue", queue)
          .register(Meters.registry());
    }
    Readiness.of(vertx).registerDetail(CHECK, this::detail);
    this.timer = vertx.setPeriodic(0, settings.integer("dlq.check-interval-ms"), id -> count());
  }

  /** Starts watching for {@code vertx}'s process. */
  public static DeadLetterWatch start(Vertx vertx, Settings settings) {
    return new DeadLetterWatch(vertx, settings);
  }

  private Future<?> detail() {
    if (failure != null) {
      return Future.failedFuture(new IllegalStateException(failure));
    }
    JsonObject byQueue = new JsonObject();
    long total = 0;
    for (var e : counts.entrySet()) {
      if (e.getValue() > 0) {
        byQueue.put(e.getKey(), e.getValue());
        total += e.getValue();
      }
    }
    return Future.succeededFuture(new JsonObject().put("records", total).put("queues", byQueue));
  }

  private void count() {
    if (counting) {
      return;
    }
    counting = true;
    vertx
        .executeBlocking(queues::pending, false)
        .onComplete(
            ar -> {
              counting = false;
              if (ar.succeeded()) {
                counts.putAll(ar.result());
                failure = null;
              } else {
                failure = "could not count the dead letters: " + ar.cause().getMessage();
                log.debug(failure);
              }
            });
  }

  public void stop() {
    vertx.cancelTimer(timer);
    Readiness.of(vertx).unregister(CHECK);
    vertx.executeBlocking(
        () -> {
          queues.close();
          return null;
        });
  }
}
