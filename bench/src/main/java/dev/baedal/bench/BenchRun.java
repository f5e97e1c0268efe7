package dev.baedal.bench;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One run of {@code baedal bench}: warm-up, then the measured window, then the orders of the window
 * finish their lives. Customers place orders (at a rate, or back to back) and watch each on {@code
 * /ws/orders/{id}}, confirming receipt once it shows DELIVERED; the store owners and riders act on
 * their own sockets' pushes. Everything runs on one Vert.x context, so no state here is shared
 * between threads, except the placements' requests: they go out and are answered on an event loop
 * of their own, and only the answer and when it came are handed back. A phone's 201 or 503 is not
 * held up by other people's socket messages; on the run's one event loop, serving thousands of
 * sockets, it would be, and the bench would time its own queue.
 */
public final class BenchRun {
  /** How long an order of the window may take to finish its life after the window closed. */
  private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(60);

  /** What to run. */
  public record Plan(
      URI url,
      double rate,
      int concurrency,
      int warmupSeconds,
      int durationSeconds,
      boolean placeOnly,
      Consumer<String> progress) {}

  private final Vertx vertx;
  private final Plan plan;
  private final BenchStats stats = new BenchStats();
  private final Orders orders = new Orders();
  private final Clients clients;
  private final Customers customers;
  private List<Cast> casts;
  private Context home;
  private Context placer;
  private String placerDeployment;
  private int placing;
  private long started;
  private long measureFrom;
  private long stopAt;
  private long completionsInWindow;

  public BenchRun(Vertx vertx, Plan plan) {
    this.vertx = vertx;
    this.plan = plan;
    this.clients = new Clients(vertx, plan.url(), plan.concurrency(), stats);
    this.customers = new Customers(vertx, clients, orders, this::completedAt);
  }

  /** Runs it (call on a Vert.x context); the results as {@code --json} writes them. */
  public Future<JsonObject> run() {
    Processes processes = Processes.find(BaedalClient.port(plan.url()));
    home = vertx.getOrCreateContext();
    return vertx
        .deployVerticle(
            (Deployable)
                context -> {
                  placer = context; // a deployment's own context: the next event loop
                  return Future.succeededFuture();
                })
        .compose(
            id -> {
              placerDeployment = id;
              return casts();
            })
        .compose(this::actors)
        .compose(
            v -> {
              Promise<JsonObject> done = Promise.promise();
              started = System.nanoTime();
              measureFrom = started + TimeUnit.SECONDS.toNanos(plan.warmupSeconds());
              stopAt = measureFrom + TimeUnit.SECONDS.toNanos(plan.durationSeconds());
              @SuppressWarnings({"rawtypes", "unchecked"}) // an array of a generic type
              Map<String, Double>[] cpuAtStart = new Map[1];
              @SuppressWarnings({"rawtypes", "unchecked"})
              Map<String, Double>[] cpuAtStop = new Map[1];
              long[] timers = new long[2];
              timers[0] =
                  vertx.setPeriodic(
                      1000,
                      id -> {
                        orders.forgetStrangers();
                        plan.progress().accept(progressLine(System.nanoTime()));
                      });
              vertx.setTimer(
                  Math.max(1, TimeUnit.NANOSECONDS.toMillis(measureFrom - started)),
                  id -> cpuAtStart[0] = processes.cpuSeconds());
              if (plan.rate() > 0) {
                paced(timers);
              } else {
                for (int i = 0; i < plan.concurrency(); i++) {
                  loop(i);
                }
              }
              vertx.setTimer(
                  TimeUnit.NANOSECONDS.toMillis(stopAt - started),
                  id -> {
                    cpuAtStop[0] = processes.cpuSeconds();
                    drain(
                        () -> {
                          vertx.cancelTimer(timers[0]);
                          vertx.cancelTimer(timers[1]);
                          done.complete(result(processes, cpuAtStart[0], cpuAtStop[0]));
                        });
                  });
              return done.future();
            })
        .eventually(
            () ->
                placerDeployment == null
                    ? Future.succeededFuture()
                    : vertx.undeploy(placerDeployment));
  }

  private JsonObject result(
      Processes processes, Map<String, Double> atStart, Map<String, Double> atStop) {
    for (Lifecycle o : orders.unfinished()) {
      if (o.measured) {
        stats.failed("stuck at " + o.lastStatus);
      }
    }
    // CPU is what the window cost, per lifecycle completed in it (in a steady state as many as
    // its orders)
    Map<String, Double> cpu = new LinkedHashMap<>();
    atStop.forEach((k, v) -> cpu.put(k, v - atStart.getOrDefault(k, 0.0)));
    JsonObject run =
        new JsonObject()
            .put("url", plan.url().toString())
            .put("rate", plan.rate())
            .put("concurrency", plan.concurrency())
            .put("warmupSeconds", plan.warmupSeconds())
            .put("durationSeconds", plan.durationSeconds())
            .put("lifecycle", !plan.placeOnly())
            .put("completionsInWindow", completionsInWindow)
            .put("processes", new JsonObject(new HashMap<>(processes.pids())));
    return stats.result(plan.durationSeconds(), cpu, completionsInWindow, processes.pssMiB(), run);
  }

  private Future<List<Cast>> casts() {
    return Future.all(
            List.of(
                clients.login("kim"),
                clients.login("lee"),
                clients.login("store-1"),
                clients.login("store-2"),
                clients.login("rider-1"),
                clients.login("rider-2")))
        .map(
            t -> {
              casts =
                  List.of(
                      Cast.hanokChicken(t.resultAt(0), t.resultAt(2), t.resultAt(4)),
                      Cast.seoulBibimbap(t.resultAt(1), t.resultAt(3), t.resultAt(5)));
              return casts;
            });
  }

  private Future<Void> actors(List<Cast> all) {
    if (plan.placeOnly()) {
      return Future.succeededFuture();
    }
    List<Future<Void>> ready = new ArrayList<>();
    for (Cast c : all) {
      ready.add(new StoreOwner(clients, orders, c).start());
      ready.add(new Rider(clients, orders, c).start());
    }
    return Future.all(ready).mapEmpty();
  }

  /** Closed loop: customer {@code n} places the next order as soon as the last one is answered. */
  private void loop(int n) {
    if (System.nanoTime() >= stopAt) {
      return;
    }
    place(casts.get(n % casts.size())).onComplete(ar -> loop(n + 1));
  }

  /** Open loop: orders start at the target rate, whether or not earlier ones are answered. */
  private void paced(long[] timers) {
    long[] count = {0};
    timers[1] =
        vertx.setPeriodic(
            1,
            timer -> {
              long now = System.nanoTime();
              if (now >= stopAt) {
                vertx.cancelTimer(timer);
                return;
              }
              long due = (long) ((now - started) / 1e9 * plan.rate());
              while (count[0] < due) {
                count[0]++;
                if (placing >= plan.concurrency()) {
                  if (now >= measureFrom) {
                    stats.skipped();
                  }
                  continue;
                }
                place(casts.get((int) (count[0] % casts.size())));
              }
            });
  }

  /** Places an order on the placements' event loop; what follows is done back here. */
  private Future<Void> place(Cast cast) {
    placing++;
    Promise<Void> done = Promise.promise();
    placer.runOnContext(
        v -> {
          long start = System.nanoTime();
          clients
              .place(cast.customerToken(), UUID.randomUUID().toString(), cast.order())
              .onComplete(
                  ar -> {
                    long now = System.nanoTime();
                    long nowMs = System.currentTimeMillis();
                    home.runOnContext(
                        w -> {
                          placed(cast, start, now, nowMs, ar);
                          done.complete();
                        });
                  });
        });
    return done.future();
  }

  /**
   * The answer to a placement sent at {@code start} came at {@code now} ({@code nowMs} by the wall
   * clock).
   */
  private void placed(
      Cast cast, long start, long now, long nowMs, AsyncResult<HttpResponse<Buffer>> ar) {
    placing--;
    boolean measured = start >= measureFrom && start < stopAt;
    int status = ar.succeeded() ? ar.result().statusCode() : 0;
    if (measured) {
      String why = Clients.why(ar);
      stats.placement(now - start, status, why);
      stats.request(status, false, "place", why);
    }
    if (status == 201) {
      JsonObject receipt = ar.result().bodyAsJsonObject();
      Lifecycle o = new Lifecycle(receipt.getString("orderId"), cast, measured, now, receipt);
      if (measured) {
        // the order was stored at createdAt; the customer could read it when the 201 came
        stats.lag("view", Math.max(0, nowMs - o.createdAtMs) * 1_000_000);
      }
      if (!plan.placeOnly()) {
        orders.add(o);
        customers.watch(o);
      } else {
        completedAt(now); // placing is the whole job: CPU is per order placed
      }
    }
  }

  /** An order completed (or, placing only, was placed) at {@code now}: counted if in the window. */
  private void completedAt(long now) {
    if (now >= measureFrom && now < stopAt) {
      completionsInWindow++;
    }
  }

  /** After the window: lets its orders finish their lives (at most a minute). */
  private void drain(Runnable then) {
    long deadline = System.nanoTime() + DRAIN_NANOS;
    vertx.setPeriodic(
        100,
        timer -> {
          boolean pending = placing > 0 || customers.watchingMeasured() > 0;
          if (!pending || System.nanoTime() > deadline) {
            vertx.cancelTimer(timer);
            then.run();
          }
        });
  }

  private String progressLine(long now) {
    if (now < measureFrom) {
      return String.format(
          "  warming up... %d s left", TimeUnit.NANOSECONDS.toSeconds(measureFrom - now) + 1);
    }
    double seconds = Math.max(0.001, (Math.min(now, stopAt) - measureFrom) / 1e9);
    return String.format(
        "  %4.0f s  %s%s",
        seconds,
        stats.progress(seconds),
        now < stopAt ? "" : "  finishing " + orders.unfinished().size() + " lifecycles");
  }
}
