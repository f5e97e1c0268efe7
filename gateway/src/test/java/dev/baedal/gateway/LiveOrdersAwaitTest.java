package dev.baedal.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baedal.platform.Addresses;
import dev.baedal.platform.live.LiveFeed;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * How {@code POST /api/orders} waits for the order's view ({@link LiveOrders#awaitView}): the query
 * side is played by a consumer of {@code query.versions} that knows the views in {@link #views} and
 * counts how often it is asked.
 */
class LiveOrdersAwaitTest {
  private static final long TIMEOUT_MS = 3000;

  private Vertx vertx;
  private Context context;
  private LiveOrders live;
  private final Map<String, Long> views = new ConcurrentHashMap<>();
  private final AtomicInteger asks = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    vertx
        .eventBus()
        .<JsonObject>consumer(
            Addresses.QUERY_VERSIONS,
            msg -> {
              asks.incrementAndGet();
              JsonObject reply = new JsonObject();
              for (Object id : msg.body().getJsonArray("orderIds")) {
                Long version = views.get((String) id);
                if (version != null) {
                  reply.put((String) id, version);
                }
              }
              msg.reply(reply);
            })
        .completion()
        .toCompletionStage()
        .toCompletableFuture()
        .get();
    context = vertx.getOrCreateContext();
    live = new LiveOrders(vertx, null, 60_000, TIMEOUT_MS, () -> 0);
    on(() -> live.start());
  }

  @AfterEach
  void stop() throws Exception {
    on(() -> live.stop());
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  @Test
  @DisplayName("a new order: its view's publication ends the wait, and the query side is not asked")
  void publication() throws Exception {
    String orderId = UUID.randomUUID().toString();
    // published in the same task that starts the wait: the message is delivered before the ask's
    // timer can fire, however slow the machine (a timer here once fired late on a busy one)
    Future<Void> seen =
        onContext(
            () -> {
              Future<Void> waiting = live.awaitView(orderId, false, TIMEOUT_MS);
              publish(orderId, 1);
              return waiting;
            });
    seen.toCompletionStage().toCompletableFuture().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    // had the publication not ended the wait, the query side (which has no view) would have been
    // asked and the wait would have timed out
    assertThat(asks).hasValue(0);
  }

  @Test
  @DisplayName(
      "a new order whose view is committed but whose publication never comes: asked once,"
          + " after ASK_AFTER_MS")
  void lostPublication() throws Exception {
    String orderId = UUID.randomUUID().toString();
    views.put(orderId, 1L);
    assertThat(waitedMs(orderId, false))
        .isGreaterThanOrEqualTo(LiveOrders.ASK_AFTER_MS)
        .isLessThan(TIMEOUT_MS);
    assertThat(asks).hasValue(1);
  }

  @Test
  @DisplayName("a replayed placement (its view long published and forgotten): asked at once")
  void replayed() throws Exception {
    String orderId = UUID.randomUUID().toString();
    views.put(orderId, 7L);
    assertThat(waitedMs(orderId, true)).isLessThan(LiveOrders.ASK_AFTER_MS);
    assertThat(asks).hasValue(1);
  }

  @Test
  @DisplayName("no view at all: the wait fails after its timeout")
  void noView() {
    String orderId = UUID.randomUUID().toString();
    long start = System.nanoTime();
    Future<Void> seen = onContext(() -> live.awaitView(orderId, false, 600));
    assertThatThrownBy(
            () -> seen.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("did not appear within 600 ms");
    assertThat(millisSince(start)).isGreaterThanOrEqualTo(600);
  }

  /** How long the wait for a view of {@code orderId} took to succeed. */
  private long waitedMs(String orderId, boolean replayed) throws Exception {
    long start = System.nanoTime();
    onContext(() -> live.awaitView(orderId, replayed, TIMEOUT_MS))
        .toCompletionStage()
        .toCompletableFuture()
        .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    return millisSince(start);
  }

  private void publish(String orderId, long version) {
    vertx
        .eventBus()
        .publish(
            Addresses.LIVE_ORDERS,
            new JsonObject().put("orderId", orderId).encode(),
            new DeliveryOptions()
                .addHeader(LiveFeed.KEY, orderId)
                .addHeader(LiveFeed.VERSION, Long.toString(version)));
  }

  /** Runs {@code action} on the context {@link #live} lives on and waits for its future. */
  private void on(Supplier<Future<Void>> action) throws Exception {
    onContext(action).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private <T> Future<T> onContext(Supplier<Future<T>> action) {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(promise));
    return promise.future();
  }

  private static long millisSince(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }
}
