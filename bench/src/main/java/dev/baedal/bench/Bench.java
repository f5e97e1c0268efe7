package dev.baedal.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code baedal bench}: loads a running Baedal the way its apps would, over HTTP and WebSocket, and
 * reports what a lifecycle costs and how long each kind of news takes to arrive. See {@link
 * BenchRun} for who does what and {@link BenchStats} for what is measured.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Load a running Baedal like its apps: customers order and watch /ws/orders, store owners act"
          + " on /ws/store, riders on /ws/rider; no polling.",
      "Reports completed lifecycles/s, HTTP requests and CPU seconds (per process, from /proc) per"
          + " lifecycle, the lags placed -> view, command -> /ws/orders, order event -> store or"
          + " rider push and placed -> notification sent (p50/p99/p99.9), and errors by status."
    })
public final class Bench implements Callable<Integer> {
  @Option(
      names = "--url",
      defaultValue = "http://127.0.0.1:8080",
      description = "gateway URL (default ${DEFAULT-VALUE})")
  URI url;

  @Option(
      names = "--rate",
      defaultValue = "0",
      description =
          "orders per second (open loop, at most --concurrency being placed at once);"
              + " 0: --concurrency customers order back to back (default)")
  double rate;

  @Option(
      names = "--concurrency",
      defaultValue = "32",
      description = "orders being placed at once at most (default ${DEFAULT-VALUE})")
  int concurrency;

  @Option(
      names = "--duration",
      defaultValue = "20",
      description = "seconds measured (default ${DEFAULT-VALUE})")
  int durationSeconds;

  @Option(
      names = "--warmup",
      defaultValue = "5",
      description = "seconds of load before measuring (default ${DEFAULT-VALUE})")
  int warmupSeconds;

  @Option(
      names = "--place-only",
      description = "only place orders: no lifecycle, sockets or notifications")
  boolean placeOnly;

  @Option(
      names = "--find-max",
      description =
          "raise the rate step by step (from --rate, default 10, by --step) and print the highest"
              + " at which every lifecycle completes and placed -> view p99 stays under 100 ms")
  boolean findMax;

  @Option(
      names = "--step",
      defaultValue = "10",
      description = "with --find-max: orders/s added at each step (default ${DEFAULT-VALUE})")
  double step;

  @Option(names = "--json", paramLabel = "FILE", description = "also write the results as JSON")
  Path json;

  @Override
  public Integer call() throws Exception {
    if (concurrency < 1 || durationSeconds < 1 || warmupSeconds < 0 || rate < 0 || step <= 0) {
      throw new IllegalArgumentException(
          "--concurrency, --duration and --step must be positive, --warmup and --rate at least 0");
    }
    Vertx vertx = Vertx.vertx();
    try {
      JsonObject result = findMax ? findMax(vertx) : once(vertx, rate);
      if (json != null) {
        Files.writeString(json, result.encodePrettily());
      }
      return 0;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private JsonObject once(Vertx vertx, double atRate) throws Exception {
    System.out.printf(
        "bench: %s against %s, %s, %d s measured after %d s of warm-up%n",
        atRate > 0
            ? String.format("%.1f orders/s (at most %d being placed at once)", atRate, concurrency)
            : concurrency + " customers ordering back to back",
        url,
        placeOnly ? "placing only" : "every order through its whole life",
        durationSeconds,
        warmupSeconds);
    BenchRun.Plan plan =
        new BenchRun.Plan(
            url,
            atRate,
            concurrency,
            warmupSeconds,
            durationSeconds,
            placeOnly,
            System.out::println);
    Promise<JsonObject> done = Promise.promise();
    vertx.runOnContext(v -> new BenchRun(vertx, plan).run().onComplete(done));
    JsonObject result = await(done.future());
    System.out.print(BenchStats.report(result));
    return result;
  }

  /**
   * Whether a run of {@code --find-max} passed: orders were placed, every one completed, nothing
   * failed, and placed -> view p99 stayed under 100 ms.
   */
  static boolean keptUp(JsonObject r) {
    long placed = r.getLong("placed");
    return placed > 0
        && r.getLong("completed") == placed
        && r.getLong("errors") == 0
        && r.getJsonObject("lagsMs").getJsonObject("view").getDouble("p99") < 100;
  }

  /** Steps the rate up until a step fails; the highest rate that passed. */
  private JsonObject findMax(Vertx vertx) throws Exception {
    double at = rate > 0 ? rate : 10;
    JsonArray steps = new JsonArray();
    double best = 0;
    while (true) {
      JsonObject r = once(vertx, at);
      boolean passed = keptUp(r);
      steps.add(new JsonObject().put("rate", at).put("passed", passed).put("result", r));
      System.out.printf("step %.1f orders/s: %s%n%n", at, passed ? "passed" : "failed");
      if (!passed) {
        break;
      }
      best = at;
      at += step;
    }
    System.out.printf(
        "highest rate at which every lifecycle completed and placed -> view p99 < 100 ms: %s%n",
        best > 0 ? String.format("%.1f orders/s", best) : "none (the first step failed)");
    return new JsonObject().put("maxRate", best).put("steps", steps);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(2, TimeUnit.HOURS);
  }
}
