package dev.baedal.launcher;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code baedal bench}: customers place paid orders over HTTP, at a fixed concurrency or a target
 * rate, and (unless {@code --place-only}) each order then lives its whole life the way real clients
 * drive it: the customer watches it on a WebSocket, the store accepts and cooks, a rider claims,
 * picks up and delivers, the customer confirms. See {@link BenchStats} for what is measured.
 */
@Command(
    name = "bench",
    description = {
      "Load a running Baedal over HTTP and WebSocket like real clients: customers order, stores",
      "accept and cook, riders claim, pick up and deliver, customers confirm. Prints orders/s,",
      "p50/p99/p99.9 of POST /api/orders, the lags from an order placed to the query view, from",
      "each command to the WebSocket message, and to the notification sent, and errors by status."
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
      description = "orders being placed at once (default ${DEFAULT-VALUE})")
  int concurrency;

  @Option(
      names = "--rate",
      defaultValue = "0",
      description =
          "orders per second to place (open loop, at most --concurrency in flight);"
              + " 0: as fast as --concurrency allows (default)")
  double rate;

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

  @Option(
      names = "--place-only",
      description = "only place orders; no lifecycle, WebSocket or notification lags")
  boolean placeOnly;

  @Option(names = "--json", paramLabel = "FILE", description = "also write the results as JSON")
  Path json;

  private final BenchStats stats = new BenchStats();
  private Vertx vertx;
  private WebClient http;
  private WebSocketClient sockets;
  private List<Trip.Cast> casts;
  private final AtomicInteger placing = new AtomicInteger();
  private final AtomicInteger trips = new AtomicInteger();
  private long measureFrom;
  private long stopAt;

  @Override
  public Integer call() throws Exception {
    if (concurrency < 1 || durationSeconds < 1 || warmupSeconds < 0 || rate < 0) {
      throw new IllegalArgumentException(
          "--concurrency and --duration must be at least 1, --warmup and --rate at least 0");
    }
    vertx = Vertx.vertx();
    try {
      int port = url.getPort() == -1 ? 80 : url.getPort();
      http =
          WebClient.create(
              vertx,
              new WebClientOptions()
                  .setDefaultHost(url.getHost())
                  .setDefaultPort(port)
                  .setKeepAlive(true),
              new PoolOptions().setHttp1MaxSize(Math.max(64, concurrency * 4)));
      sockets =
          vertx.createWebSocketClient(
              new WebSocketClientOptions()
                  .setDefaultHost(url.getHost())
                  .setDefaultPort(port)
                  .setMaxConnections(100_000));
      casts = Baedal.await(casts(http));
      long now = System.nanoTime();
      measureFrom = now + TimeUnit.SECONDS.toNanos(warmupSeconds);
      stopAt = measureFrom + TimeUnit.SECONDS.toNanos(durationSeconds);
      System.out.printf(
          "bench: %s against %s, %s, for %d s after %d s of warm-up%n",
          rate > 0
              ? String.format("%.1f orders/s (at most %d in flight)", rate, concurrency)
              : concurrency + " customers ordering back to back",
          url,
          placeOnly ? "placing only" : "every order driven through its whole lifecycle",
          durationSeconds,
          warmupSeconds);
      CountDownLatch done = new CountDownLatch(1);
      long progress = vertx.setPeriodic(1000, id -> System.out.println(progressLine()));
      vertx.runOnContext(
          v -> {
            if (rate > 0) {
              paced(now, done);
            } else {
              AtomicInteger loops = new AtomicInteger(concurrency);
              for (int i = 0; i < concurrency; i++) {
                loop(i, loops, done);
              }
            }
          });
      done.await();
      vertx.cancelTimer(progress);
      JsonObject result = stats.result(durationSeconds, settingsJson());
      System.out.print(stats.report(durationSeconds));
      if (json != null) {
        Files.writeString(json, result.encodePrettily());
      }
      return 0;
    } finally {
      Baedal.await(vertx.close());
    }
  }

  private JsonObject settingsJson() {
    return new JsonObject()
        .put("url", url.toString())
        .put("concurrency", concurrency)
        .put("rate", rate)
        .put("durationSeconds", durationSeconds)
        .put("warmupSeconds", warmupSeconds)
        .put("lifecycle", !placeOnly);
  }

  /** Closed loop: a customer places the next order as soon as the last one is answered. */
  private void loop(int n, AtomicInteger loops, CountDownLatch done) {
    if (System.nanoTime() >= stopAt) {
      if (loops.decrementAndGet() == 0) {
        drain(done);
      }
      return;
    }
    place(casts.get(n % casts.size())).onComplete(ar -> loop(n + 1, loops, done));
  }

  /** Open loop: orders start at the target rate whether or not earlier ones are answered. */
  private void paced(long start, CountDownLatch done) {
    long[] started = {0};
    vertx.setPeriodic(
        1,
        timer -> {
          long now = System.nanoTime();
          if (now >= stopAt) {
            vertx.cancelTimer(timer);
            drain(done);
            return;
          }
          long due = (long) ((now - start) / 1e9 * rate);
          while (started[0] < due) {
            started[0]++;
            if (placing.get() >= concurrency) {
              stats.skipped(now >= measureFrom);
              continue;
            }
            place(casts.get((int) (started[0] % casts.size())));
          }
        });
  }

  /** Places one order and, if it was placed, starts its lifecycle. */
  private Future<Void> place(Trip.Cast cast) {
    placing.incrementAndGet();
    long start = System.nanoTime();
    boolean measured = start >= measureFrom && start < stopAt;
    return http.post("/api/orders")
        .putHeader("Authorization", "Bearer " + cast.customer())
        .putHeader("Idempotency-Key", UUID.randomUUID().toString())
        .timeout(30_000)
        .sendJsonObject(cast.order())
        .onComplete(
            ar -> {
              placing.decrementAndGet();
              long end = System.nanoTime();
              int status = ar.succeeded() ? ar.result().statusCode() : 0;
              stats.placed(measured, end - start, status);
              if (status == 201 && !placeOnly) {
                String id = ar.result().bodyAsJsonObject().getString("orderId");
                trips.incrementAndGet();
                new Trip(vertx, http, sockets, cast, id, end, measured ? stats : null)
                    .run()
                    .onComplete(v -> trips.decrementAndGet());
              }
            })
        .mapEmpty();
  }

  /** After the last order: lets the lifecycles under way finish (at most a minute). */
  private void drain(CountDownLatch done) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    vertx.setPeriodic(
        50,
        timer -> {
          if ((placing.get() == 0 && trips.get() == 0) || System.nanoTime() > deadline) {
            stats.unfinished(trips.get());
            vertx.cancelTimer(timer);
            done.countDown();
          }
        });
  }

  private String progressLine() {
    long now = System.nanoTime();
    if (now < measureFrom) {
      return String.format(
          "  warming up... %d s left", TimeUnit.NANOSECONDS.toSeconds(measureFrom - now) + 1);
    }
    double seconds = Math.max(0.001, (Math.min(now, stopAt) - measureFrom) / 1e9);
    return String.format(
        "  %4.0f s  %s  %s",
        seconds,
        stats.progress(seconds),
        now < stopAt ? "" : "finishing " + trips.get() + " lifecycles");
  }

  /** Who plays the parts: each store with its owner, a rider near it, and a customer. */
  private static Future<List<Trip.Cast>> casts(WebClient http) {
    return Future.all(
            List.of(
                login(http, "kim"),
                login(http, "lee"),
                login(http, "store-1"),
                login(http, "store-2"),
                login(http, "rider-1"),
                login(http, "rider-2")))
        .map(
            tokens ->
                List.of(
                    Trip.Cast.hanokChicken(
                        tokens.resultAt(0), tokens.resultAt(2), tokens.resultAt(4)),
                    Trip.Cast.seoulBibimbap(
                        tokens.resultAt(1), tokens.resultAt(3), tokens.resultAt(5))));
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
}
