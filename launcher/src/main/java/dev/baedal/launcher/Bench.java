package dev.baedal.launcher;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code baedal bench}: places orders over HTTP from {@code --concurrency} clients for {@code
 * --duration} and reports throughput and the latency of {@code POST /api/orders}.
 */
@Command(
    name = "bench",
    description = {
      "Load a running Baedal over HTTP: customers place paid orders at a fixed concurrency.",
      "Prints orders/s, p50/p99/p99.9 latency of POST /api/orders and errors by status."
    })
final class Bench implements Callable<Integer> {
  @Option(
      names = "--url",
      defaultValue = "http://127.0.0.1:8080",
      description = "gateway URL (default ${DEFAULT-VALUE})")
  URI url;

  @Option(
      names = "--concurrency",
      defaultValue = "32",
      description = "requests in flight (default ${DEFAULT-VALUE})")
  int concurrency;

  @Option(
      names = "--duration",
      defaultValue = "20",
      description = "seconds to measure (default ${DEFAULT-VALUE})")
  int durationSeconds;

  @Option(
      names = "--warmup",
      defaultValue = "5",
      description = "seconds of load before measuring (default ${DEFAULT-VALUE})")
  int warmupSeconds;

  @Option(names = "--json", paramLabel = "FILE", description = "also write the results as JSON")
  Path json;

  private final Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
  private final Map<Integer, Long> statuses = new TreeMap<>();
  private long measuring;
  private long stopAt;

  @Override
  public Integer call() throws Exception {
    if (concurrency < 1 || durationSeconds < 1 || warmupSeconds < 0) {
      throw new IllegalArgumentException("--concurrency and --duration must be at least 1");
    }
    Vertx vertx = Vertx.vertx();
    try {
      WebClient client =
          WebClient.create(
              vertx,
              new WebClientOptions()
                  .setDefaultHost(url.getHost())
                  .setDefaultPort(url.getPort() == -1 ? 80 : url.getPort())
                  .setKeepAlive(true),
              new PoolOptions().setHttp1MaxSize(concurrency));
      String[] tokens = {Baedal.await(login(client, "kim")), Baedal.await(login(client, "lee"))};
      long now = System.nanoTime();
      measuring = now + TimeUnit.SECONDS.toNanos(warmupSeconds);
      stopAt = measuring + TimeUnit.SECONDS.toNanos(durationSeconds);
      CountDownLatch done = new CountDownLatch(concurrency);
      System.out.printf(
          "bench: %d clients against %s for %d s after %d s of warm-up%n",
          concurrency, url, durationSeconds, warmupSeconds);
      long progress = vertx.setPeriodic(1000, id -> progress());
      for (int i = 0; i < concurrency; i++) {
        String token = tokens[i % tokens.length];
        vertx.runOnContext(v -> loop(client, token, done));
      }
      done.await();
      vertx.cancelTimer(progress);
      report();
      return 0;
    } finally {
      Baedal.await(vertx.close());
    }
  }

  private void loop(WebClient client, String token, CountDownLatch done) {
    long start = System.nanoTime();
    if (start >= stopAt) {
      done.countDown();
      return;
    }
    client
        .post("/api/orders")
        .putHeader("Authorization", "Bearer " + token)
        .putHeader("Idempotency-Key", UUID.randomUUID().toString())
        .timeout(30_000)
        .sendJsonObject(order())
        .onComplete(
            ar -> {
              long end = System.nanoTime();
              if (start >= measuring && end <= stopAt) {
                latency.recordValue(Math.max(1, (end - start) / 1000));
                statuses.merge(ar.succeeded() ? ar.result().statusCode() : 0, 1L, Long::sum);
              }
              loop(client, token, done);
            });
  }

  private void progress() {
    long now = System.nanoTime();
    if (now < measuring) {
      System.out.printf(
          "  warming up... %d s left%n", TimeUnit.NANOSECONDS.toSeconds(measuring - now) + 1);
      return;
    }
    double seconds = Math.max(0.001, (Math.min(now, stopAt) - measuring) / 1e9);
    System.out.printf(
        "  %4.0f s  %7d orders  %7.1f/s  p99 %6.1f ms  errors %d%n",
        seconds,
        statuses.getOrDefault(201, 0L),
        statuses.getOrDefault(201, 0L) / seconds,
        latency.getValueAtPercentile(99) / 1000.0,
        errors());
  }

  private void report() throws IOException {
    long placed = statuses.getOrDefault(201, 0L);
    JsonObject result =
        new JsonObject()
            .put("concurrency", concurrency)
            .put("durationSeconds", durationSeconds)
            .put("placed", placed)
            .put("ordersPerSecond", Math.round(placed * 10.0 / durationSeconds) / 10.0)
            .put("placeLatencyMs", percentiles(latency))
            .put("errors", errorsJson());
    System.out.printf(
        "placed %d orders in %d s: %.1f orders/s%n"
            + "POST /api/orders latency: p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms%n"
            + "errors by status: %s%n",
        placed,
        durationSeconds,
        result.getDouble("ordersPerSecond"),
        latency.getValueAtPercentile(50) / 1000.0,
        latency.getValueAtPercentile(99) / 1000.0,
        latency.getValueAtPercentile(99.9) / 1000.0,
        latency.getMaxValue() / 1000.0,
        errorsJson().isEmpty() ? "none" : errorsJson().encode());
    if (json != null) {
      Files.writeString(json, result.encodePrettily());
    }
  }

  private long errors() {
    return statuses.entrySet().stream()
        .filter(e -> e.getKey() != 201)
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  private JsonObject errorsJson() {
    JsonObject errors = new JsonObject();
    statuses.forEach(
        (status, n) -> {
          if (status != 201) {
            errors.put(status == 0 ? "no-response" : String.valueOf(status), n);
          }
        });
    return errors;
  }

  private static JsonObject percentiles(Histogram h) {
    return new JsonObject()
        .put("p50", h.getValueAtPercentile(50) / 1000.0)
        .put("p99", h.getValueAtPercentile(99) / 1000.0)
        .put("p99.9", h.getValueAtPercentile(99.9) / 1000.0)
        .put("max", h.getMaxValue() / 1000.0);
  }

  private static Future<String> login(WebClient client, String user) {
    return client
        .post("/api/auth/login")
        .timeout(10_000)
        .sendJsonObject(new JsonObject().put("username", user).put("password", user + "-pass"))
        .map(
            (HttpResponse<?> r) -> {
              if (r.statusCode() != 200) {
                throw new IllegalStateException("login as " + user + " failed: " + r.statusCode());
              }
              return r.bodyAsJsonObject().getString("token");
            });
  }

  private static JsonObject order() {
    return new JsonObject()
        .put("storeId", "store-1")
        .put(
            "items",
            new JsonArray()
                .add(new JsonObject().put("menuId", "chicken-fried").put("quantity", 1))
                .add(new JsonObject().put("menuId", "cola").put("quantity", 1)))
        .put(
            "deliveryAddress",
            new JsonObject()
                .put("text", "서울 강남구 테헤란로 152")
                .put("lat", 37.5006)
                .put("lng", 127.0364))
        .put("express", false)
        .put(
            "payment",
            new JsonObject().put("method", "CARD").put("cardNumber", "4242424242424242"));
  }
}
