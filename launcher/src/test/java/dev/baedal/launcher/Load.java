package dev.baedal.launcher;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Customers placing paid orders back to back from a few threads until stopped: the load the chaos
 * tests keep up while they break things. It remembers every order that got its 201.
 */
final class Load implements AutoCloseable {
  private final Api api;
  private final String token;
  private final ExecutorService clients;
  private final Queue<String> placed = new ConcurrentLinkedQueue<>();
  private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
  private volatile boolean running = true;

  private Load(Api api, String token, int clients) {
    this.api = api;
    this.token = token;
    this.clients = Executors.newFixedThreadPool(clients);
    for (int i = 0; i < clients; i++) {
      this.clients.execute(this::placeUntilStopped);
    }
  }

  static Load start(Api api, String customerToken, int clients) {
    return new Load(api, customerToken, clients);
  }

  private void placeUntilStopped() {
    while (running) {
      int status;
      try {
        Api.Response r =
            api.placeOrder(token, UUID.randomUUID().toString(), Api.chickenOrder(Api.GOOD_CARD));
        status = r.status();
        if (status == 201) {
          placed.add(r.json().getString("orderId"));
        }
      } catch (IllegalStateException e) {
        status = 0; // no response at all
      }
      statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
    }
  }

  /** Waits until {@code n} more orders than now have been placed. */
  void awaitMore(int n) {
    int target = placed.size() + n;
    await().atMost(Duration.ofSeconds(90)).until(() -> placed.size() >= target);
  }

  /** The orders placed so far, in the order their 201s came. */
  List<String> placed() {
    return List.copyOf(placed);
  }

  /** Stops the customers and returns the id of every order placed. */
  List<String> stop() throws InterruptedException {
    running = false;
    clients.shutdown();
    if (!clients.awaitTermination(60, TimeUnit.SECONDS)) {
      throw new AssertionError("the load did not stop");
    }
    return List.copyOf(placed);
  }

  /** How many requests got each status (0: no response). */
  Map<Integer, Long> statuses() {
    Map<Integer, Long> out = new TreeMap<>();
    statuses.forEach((status, n) -> out.put(status, n.sum()));
    return out;
  }

  @Override
  public void close() {
    running = false;
    clients.shutdownNow();
  }
}
