package dev.baedal.platform.health;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

  private Readiness() {}

  /** The checks of {@code vertx}'s process. */
  public static synchronized Readiness of(Vertx vertx) {
    return INSTANCES.computeIfAbsent(vertx, v -> new Readiness());
  }

  /** Registers (or replaces) a check: a future that fails when the part is not ready. */
  public void register(String name, Supplier<Future<?>> check) {
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

  public void unregister(String name) {
    checks.remove(name);
  }

  /** Runs every check; the JSON has {@code status} UP or DOWN and one entry per check. */
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
              for (int i = 0; i < names.size(); i++) {
                Future<?> f = results.get(i);
                if (f.succeeded()) {
                  parts.put(names.get(i), new JsonObject().put("status", "UP"));
                } else {
                  up = false;
                  parts.put(
                      names.get(i),
                      new JsonObject()
                          .put("status", "DOWN")
                          .put("reason", String.valueOf(f.cause().getMessage())));
                }
              }
              return Future.succeededFuture(
                  body.put("status", up ? "UP" : "DOWN").put("checks", parts));
            });
  }
}
