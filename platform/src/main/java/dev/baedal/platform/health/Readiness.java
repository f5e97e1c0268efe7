package dev.baedal.platform.health;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The readiness checks of one Vert.x instance: each context registers what it needs (its database,
 * its Kafka consumers being assigned) and {@code /health/ready} runs them all.
 */
public final class Readiness {
  private static final Map<Vertx, Readiness> INSTANCES = new WeakHashMap<>();

  private final Map<String, Supplier<Future<?>>> checks = new ConcurrentHashMap<>();

  /** Checks that are reported but do not make the process unready. */
  private final Set<String> details = ConcurrentHashMap.newKeySet();

  private Readiness() {}

  /** The checks of {@code vertx}'s process. */
  public static synchronized Readiness of(Vertx vertx) {
    return INSTANCES.computeIfAbsent(vertx, v -> new Readiness());
  }

  /** Registers (or replaces) a check: a future that fails when the part is not ready. */
  public void register(String name, Supplier<Future<?>> check) {
    checks.put(name, check);
  }

  /**
   * Registers a detail: reported with the checks, but a part the process can take orders without
   * (Kafka: the outbox keeps the events; a consumer still waiting for its partitions).
   */
  public void registerDetail(String name, Supplier<Future<?>> check) {
    details.add(name);
    checks.put(name, check);
  }

  /** Registers a check that is a plain condition. */
  public void registerCondition(String name, Supplier<Boolean> condition, String whenFalse) {
    register(
        name,
        () ->
            condition.get()
                ? Future.succeededFuture()
                : Future.failedFuture(new IllegalStateException(whenFalse)));
  }

  /** A detail that is a plain condition. */
  public void registerDetailCondition(String name, Supplier<Boolean> condition, String whenFalse) {
    registerDetail(
        name,
        () ->
            condition.get()
                ? Future.succeededFuture()
                : Future.failedFuture(new IllegalStateException(whenFalse)));
  }

  public void unregister(String name) {
    checks.remove(name);
    details.remove(name);
  }

  /**
   * Runs every check; the JSON has {@code status} UP or DOWN (by the checks that are not details),
   * {@code complete} (every check, details too, is up) and one entry per check.
   */
  public Future<JsonObject> check() {
    List<String> names = new ArrayList<>(checks.keySet());
    names.sort(String::compareTo);
    List<Future<?>> results = new ArrayList<>();
    for (String name : names) {
      Future<?> f;
      try {
        f = checks.get(name).get();
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      results.add(f);
    }
    return Future.join(results)
        .transform(
            ar -> {
              JsonObject body = new JsonObject();
              JsonObject parts = new JsonObject();
              boolean up = true;
              boolean complete = true;
              for (int i = 0; i < names.size(); i++) {
                Future<?> f = results.get(i);
                String name = names.get(i);
                if (f.succeeded()) {
                  JsonObject part = new JsonObject().put("status", "UP");
                  if (f.result() instanceof JsonObject detail) {
                    part.put("details", detail);
                  }
                  parts.put(name, part);
                } else {
                  complete = false;
                  up &= details.contains(name);
                  parts.put(
                      name,
                      new JsonObject()
                          .put("status", "DOWN")
                          .put("reason", String.valueOf(f.cause().getMessage())));
                }
                if (details.contains(name)) {
                  parts.getJsonObject(name).put("detail", true);
                }
              }
              return Future.succeededFuture(
                  body.put("status", up ? "UP" : "DOWN")
                      .put("complete", complete)
                      .put("checks", parts));
            });
  }
}
