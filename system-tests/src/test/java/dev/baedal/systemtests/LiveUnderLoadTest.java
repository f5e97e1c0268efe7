package dev.baedal.systemtests;

import static dev.baedal.devinfra.TestInfra.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baedal.bench.BenchRun;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Live status under concurrent load: {@code baedal bench}'s clients drive a few hundred orders
 * through their lives (customers on {@code /ws/orders}, owners on {@code /ws/store}, riders on
 * {@code /ws/rider}) while more subscribers connect to the orders at random moments; every one of
 * them must see every change after its snapshot, in order, with no gap and no duplicate. So must
 * the owners' sockets, and riders who only watch must be offered every delivery of their store and
 * then told it is gone.
 */
class LiveUnderLoadTest {
  private static final int RATE = 6;
  private static final int SECONDS = 35;

  private static TestSystem system;

  @BeforeAll
  static void start() {
    // admission control and the payment breaker are tested on their own; here nothing may be
    // refused, also while the test's cold JVM is slow at first (a payment call over the breaker's
    // 2 s timeout answered "payment is busy" here now and then)
    system =
        TestSystem.start(
            s ->
                s.with("admission.max-backlog-ms", 0)
                    .with("admission.max-placing", 0)
                    .with("breaker.timeout-ms", 15000));
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  @Test
  @DisplayName(
      "hundreds of lifecycles, subscribers connecting at random moments: each sees every change"
          + " after its snapshot, in order, no gap, no duplicate; so do the store owners' sockets;"
          + " riders nearby are offered every delivery, then told it is gone")
  void noLostChange() throws Exception {
    int port = system.node.httpPort();
    Map<String, String> customerOf =
        Map.of("store-1", system.login("kim"), "store-2", system.login("lee"));
    Map<String, WsClient> watchers = new ConcurrentHashMap<>();
    List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    Random random = new Random(42);
    ScheduledExecutorService later = Executors.newScheduledThreadPool(2);
    // the owners' sockets tell of each new order; a watcher subscribes to it a random moment later
    Map<String, WsClient> owners = new java.util.LinkedHashMap<>();
    for (String store : List.of("store-1", "store-2")) {
      WsClient owner = WsClient.connect(system, "/ws/store", system.login(store));
      owners.put(store, owner);
      later.scheduleAtFixedRate(
          () ->
              owner.messages().stream()
                  .filter(m -> "order".equals(m.getString("type")))
                  .map(m -> m.getJsonObject("order").getString("orderId"))
                  .filter(id -> !watchers.containsKey(id))
                  .forEach(
                      id -> {
                        watchers.put(id, WsClient.placeholder());
                        subscribe(
                            later,
                            watchers,
                            failures,
                            id,
                            () ->
                                WsClient.connect(system, "/ws/orders/" + id, customerOf.get(store)),
                            random.nextInt(1500),
                            20);
                      }),
          10,
          10,
          TimeUnit.MILLISECONDS);
    }

    // riders who only watch, where the bench's riders ride: every delivery of their store is
    // offered to them, and then taken by the bench's rider
    Map<String, WsClient> lookers = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, JsonObject> at :
        Map.of(
                "store-1", new JsonObject().put("lat", 37.4985).put("lng", 127.0280),
                "store-2", new JsonObject().put("lat", 37.5745).put("lng", 126.9855))
            .entrySet()) {
      WsClient looker =
          WsClient.connect(system, "/ws/rider", system.token("rider", "looker-" + at.getKey()));
      looker.send(at.getValue());
      looker.await("offers", m -> "offers".equals(m.getString("type")));
      lookers.put(at.getKey(), looker);
    }

    JsonObject result = bench(port);
    assertThat(result.getLong("placed")).isGreaterThanOrEqualTo((long) RATE * SECONDS - 5);
    assertThat(result.getLong("completed")).isEqualTo(result.getLong("placed"));
    assertThat(result.getLong("errors")).as(result.encodePrettily()).isZero();

    await("every watcher sees its order completed")
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              assertThat(failures).as("subscriptions that could not connect").isEmpty();
              return watchers.values().stream()
                  .allMatch(w -> w.messages().stream().anyMatch(LiveUnderLoadTest::completed));
            });
    later.shutdownNow();
    assertThat(watchers).hasSizeGreaterThanOrEqualTo(RATE * SECONDS - 5);
    watchers.forEach((id, w) -> assertEveryChange(id, w.messages()));
    for (Map.Entry<String, WsClient> e : owners.entrySet()) {
      String store = e.getKey();
      WsClient owner = e.getValue();
      await("every order of " + store + " completed on its owner's socket")
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> byOrder(owner.messages()).forEach(LiveUnderLoadTest::assertEveryStoreChange));
      Map<String, List<JsonObject>> orders = byOrder(owner.messages());
      assertThat(orders).as(store).isNotEmpty();
      assertEveryOfferGone(store, orders.keySet(), lookers.get(store).messages());
    }
    watchers.values().forEach(WsClient::close);
    owners.values().forEach(WsClient::close);
    lookers.values().forEach(WsClient::close);
  }

  /** An owner's pushed orders, by order, in the order they came. */
  private static Map<String, List<JsonObject>> byOrder(List<JsonObject> messages) {
    Map<String, List<JsonObject>> out = new java.util.LinkedHashMap<>();
    for (JsonObject m : messages) {
      if ("order".equals(m.getString("type"))) {
        JsonObject order = m.getJsonObject("order");
        out.computeIfAbsent(order.getString("orderId"), k -> new ArrayList<>()).add(order);
      }
    }
    return out;
  }

  /**
   * The owner, connected before any order, got each of them from NEW on, every version one by one
   * (changes committed together are one version), statuses only forward, up to COMPLETED.
   */
  private static void assertEveryStoreChange(String id, List<JsonObject> pushed) {
    assertThat(pushed.get(0).getString("status")).as(id).isEqualTo("NEW");
    assertOneByOne(id, pushed.stream().map(o -> o.getLong("version")).toList());
    List<String> statuses = pushed.stream().map(o -> o.getString("status")).distinct().toList();
    assertThat(
            List.of("NEW", "ACCEPTED", "COOKING", "COOKED", "PICKED_UP", "DELIVERED", "COMPLETED"))
        .as(id)
        .containsSubsequence(statuses);
    assertThat(statuses).as(id).startsWith("NEW", "ACCEPTED", "COOKING").endsWith("COMPLETED");
  }

  /**
   * A rider who watches was offered every order of the store (pushed on its own, or in the list of
   * offers the gateway sends again when its periodic check finds the offers changed before their
   * pushes came), every version of the offer one by one, then told it is gone: taken, or left out
   * of a new list of offers.
   */
  private static void assertEveryOfferGone(
      String store, java.util.Set<String> orders, List<JsonObject> messages) {
    for (String id : orders) {
      List<Long> versions = new ArrayList<>();
      int lastOffer = -1;
      List<Integer> taken = new ArrayList<>();
      for (int i = 0; i < messages.size(); i++) {
        JsonObject m = messages.get(i);
        List<JsonObject> offers =
            switch (m.getString("type")) {
              case "offer" -> List.of(m.getJsonObject("offer"));
              case "offers" ->
                  m.getJsonArray("offers").stream().map(JsonObject.class::cast).toList();
              default -> List.of();
            };
        for (JsonObject o : offers) {
          if (id.equals(o.getString("orderId"))) {
            versions.add(o.getLong("version"));
            lastOffer = i;
          }
        }
        if ("taken".equals(m.getString("type")) && id.equals(m.getString("orderId"))) {
          taken.add(i);
        }
      }
      assertThat(versions).as("%s of %s offered", id, store).isNotEmpty().isSorted();
      assertOneByOne(id, versions.stream().distinct().toList());
      // then told it is gone: "taken", or (when the periodic check read the offers after the claim
      // but before its push came) a new list of offers without it, which is the same news
      int gone = lastOffer;
      boolean listedWithout =
          messages.subList(gone + 1, messages.size()).stream()
              .anyMatch(m -> "offers".equals(m.getString("type")));
      assertThat(taken).as("%s of %s taken", id, store).hasSizeLessThanOrEqualTo(1);
      assertThat(taken.stream().anyMatch(i -> i > gone) || listedWithout)
          .as("%s of %s: told it is gone after its last offer", id, store)
          .isTrue();
    }
  }

  /**
   * Subscribes a watcher to {@code id} after {@code delayMs}; a handshake that fails (the machine
   * is busy) is tried again, as the web UI reconnects, and counted as a failure only after {@code
   * tries} attempts.
   */
  private static void subscribe(
      ScheduledExecutorService later,
      Map<String, WsClient> watchers,
      List<String> failures,
      String id,
      java.util.function.Supplier<WsClient> connect,
      long delayMs,
      int tries) {
    later.schedule(
        () -> {
          try {
            watchers.put(id, connect.get());
          } catch (RuntimeException e) {
            if (tries > 1) {
              subscribe(later, watchers, failures, id, connect, 200, tries - 1);
            } else {
              failures.add(id + ": " + e);
            }
          }
        },
        delayMs,
        TimeUnit.MILLISECONDS);
  }

  /** The snapshot, then versions one by one; statuses only forward; the whole timeline seen. */
  private static void assertEveryChange(String id, List<JsonObject> messages) {
    assertThat(messages).as(id).isNotEmpty();
    assertOneByOne(id, messages.stream().map(m -> m.getLong("version")).toList());
    List<JsonObject> changes = messages.subList(1, messages.size());
    List<String> seen =
        WsClient.statusChanges(statuses(messages.get(0).getJsonObject("view")), changes);
    JsonObject last = messages.get(messages.size() - 1);
    assertThat(last.getString("status")).isEqualTo("COMPLETED");
    List<String> timeline = statuses(last.getJsonObject("view"));
    assertThat(timeline).as(id).hasSize(8);
    assertThat(timeline.subList(0, 3)).as(id).containsExactly("PAID", "ACCEPTED", "COOKING");
    assertThat(timeline.subList(3, 5)).as(id).containsExactlyInAnyOrder("RIDER_ASSIGNED", "COOKED");
    assertThat(timeline.subList(5, 8))
        .as(id)
        .containsExactly("PICKED_UP", "DELIVERED", "COMPLETED");
    // what the watcher was shown, in order, is the order's history (a rider assigned while the
    // food cooked and the food done a moment later may show as one step, in either order)
    assertThat(timeline).as(id).containsSubsequence(seen);
    assertThat(seen)
        .as(id)
        .contains("PAID", "ACCEPTED", "COOKING", "PICKED_UP", "DELIVERED", "COMPLETED");
  }

  /** Each version one more than the one before it: no gap, no duplicate, never back. */
  private static void assertOneByOne(String id, List<Long> versions) {
    for (int i = 1; i < versions.size(); i++) {
      assertThat(versions.get(i))
          .as("%s after version %d", id, versions.get(i - 1))
          .isEqualTo(versions.get(i - 1) + 1);
    }
  }

  private static boolean completed(JsonObject m) {
    return "COMPLETED".equals(m.getString("status"));
  }

  private static List<String> statuses(JsonObject view) {
    JsonArray timeline = view.getJsonArray("timeline");
    List<String> out = new ArrayList<>();
    for (int i = 0; i < timeline.size(); i++) {
      out.add(timeline.getJsonObject(i).getString("status"));
    }
    return out;
  }

  private static JsonObject bench(int port) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      BenchRun.Plan plan =
          new BenchRun.Plan(
              URI.create("http://127.0.0.1:" + port),
              RATE,
              32,
              0,
              SECONDS,
              false,
              System.out::println);
      Promise<JsonObject> done = Promise.promise();
      vertx.runOnContext(v -> new BenchRun(vertx, plan).run().onComplete(done));
      JsonObject result =
          done.future().toCompletionStage().toCompletableFuture().get(3, TimeUnit.MINUTES);
      System.out.println(result.encodePrettily());
      return result;
    } finally {
      join(vertx.close());
    }
  }
}
