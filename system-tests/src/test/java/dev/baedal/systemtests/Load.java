package dev.baedal.systemtests;

import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
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
 * Customers placing paid orders back to back from a few threads until stopped: the load the fault
 * tests keep up while they break things. It goes on through errors and silence (a request with no
 * answer counts as status 0), and records every attempt per order id, answered or not, for the
 * {@link OrderLedger}: the order id is known before the answer, because the order context derives
 * it from the customer and the Idempotency-Key ({@link #orderIdFor}).
 *
 * <pre>{@code
 * Load load = Load.start(system, system.login("kim"), 3, 2); // 3 customers, 2 retries per key
 * load.awaitMore(20);  ... break something ...  load.stop();
 * orderLedger.assertBalanced(load.attempts(), Duration.ofSeconds(60));
 * }</pre>
 */
final class Load implements AutoCloseable {
  /** One request: its key, its order id, its status (0: no answer) and when it was sent. */
  record Attempt(String orderId, String idempotencyKey, int status, Instant at, long millis) {
    @Override
    public String toString() {
      return (status == 0 ? "no answer" : String.valueOf(status))
          + " at "
          + at
          + " ("
          + millis
          + " ms)";
    }
  }

  private final Api api;
  private final String token;
  private final String customer;
  private final int retries;
  private final ExecutorService clients;
  private final Queue<String> placed = new ConcurrentLinkedQueue<>();
  private final Map<String, List<Attempt>> attempts = new ConcurrentHashMap<>();
  private final Queue<String> order = new ConcurrentLinkedQueue<>();
  private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
  private final Queue<String> wrongIds = new ConcurrentLinkedQueue<>();

  /** The first answer's body for each status other than 201: what a failure said. */
  private final Map<Integer, String> details = new ConcurrentHashMap<>();

  private final Map<String, LongAdder> refusals = new ConcurrentHashMap<>();
  private volatile boolean running = true;

  private Load(Api api, String token, int clients, int retries) {
    this.api = api;
    this.token = token;
    this.customer = subject(token);
    this.retries = retries;
    this.clients = Executors.newFixedThreadPool(clients);
    for (int i = 0; i < clients; i++) {
      this.clients.execute(this::placeUntilStopped);
    }
  }

  static Load start(Api api, String customerToken, int clients) {
    return new Load(api, customerToken, clients, 0);
  }

  /**
   * Like {@link #start(Api, String, int)}; a request that gets no answer or a 5xx is sent again
   * with the same Idempotency-Key up to {@code retries} times, as a customer's app would.
   */
  static Load start(Api api, String customerToken, int clients, int retries) {
    return new Load(api, customerToken, clients, retries);
  }

  /**
   * The order id the order context gives an order of {@code customer} placed with {@code key}
   * ({@code OrderService.placeNew}); the load checks it against every 201's orderId.
   */
  static String orderIdFor(String customer, String key) {
    return UUID.nameUUIDFromBytes(
            ("order\n" + customer + "\n" + key).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  private void placeUntilStopped() {
    while (running) {
      String key = UUID.randomUUID().toString();
      String orderId = orderIdFor(customer, key);
      order.add(orderId);
      // an id in the order list has been tried at least once, even if the stop came meanwhile
      int status;
      int attempt = 0;
      do {
        status = place(key, orderId);
        attempt++;
      } while ((status == 0 || status >= 500) && attempt <= retries && running);
    }
  }

  private int place(String key, String orderId) {
    Instant at = Instant.now();
    long started = System.nanoTime();
    int status;
    try {
      Api.Response r = api.placeOrder(token, key, Api.chickenOrder(Api.GOOD_CARD));
      status = r.status();
      if (status != 201) {
        details.putIfAbsent(status, String.valueOf(r.body()));
      }
      if (status == 201) {
        String answered = r.json().getString("orderId");
        if (!orderId.equals(answered)) {
          wrongIds.add(answered + " (derived " + orderId + ")");
        }
        placed.add(orderId);
      } else {
        refusals.computeIfAbsent(status + " " + detail(r), d -> new LongAdder()).increment();
      }
    } catch (IllegalStateException e) {
      status = 0; // no response at all
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    attempts
        .computeIfAbsent(orderId, id -> new java.util.concurrent.CopyOnWriteArrayList<>())
        .add(new Attempt(orderId, key, status, at, millis));
    statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
    return status;
  }

  private static String detail(Api.Response r) {
    try {
      String detail = r.json().getString("detail");
      return detail == null ? r.body() : detail;
    } catch (RuntimeException notJson) {
      return r.body();
    }
  }

  /** How many answered requests got each status and problem detail, but for the 201s. */
  Map<String, Long> refusals() {
    Map<String, Long> out = new TreeMap<>();
    refusals.forEach((d, n) -> out.put(d, n.sum()));
    return out;
  }

  /** The customer (the token's subject) who places the orders. */
  String customer() {
    return customer;
  }

  /** Waits until {@code n} more orders than now have been placed. */
  void awaitMore(int n) {
    int target = placed.size() + n;
    await().atMost(Duration.ofSeconds(90)).until(() -> placed.size() >= target);
  }

  /** Waits until {@code n} more requests than now have been made, answered or not. */
  void awaitMoreAttempts(int n) {
    long target = total() + n;
    await().atMost(Duration.ofSeconds(90)).until(() -> total() >= target);
  }

  /** The orders placed so far, in the order their 201s came. */
  List<String> placed() {
    return List.copyOf(placed);
  }

  /** Every order id attempted so far, in the order first tried, with its attempts in order. */
  Map<String, List<Attempt>> attempts() {
    Map<String, List<Attempt>> out = new LinkedHashMap<>();
    for (String id : order) {
      out.put(id, List.copyOf(attempts.getOrDefault(id, List.of())));
    }
    return out;
  }

  /** Stops the customers and returns the id of every order placed. */
  List<String> stop() throws InterruptedException {
    running = false;
    clients.shutdown();
    if (!clients.awaitTermination(60, TimeUnit.SECONDS)) {
      throw new AssertionError("the load did not stop");
    }
    if (!wrongIds.isEmpty()) {
      throw new AssertionError(
          "orders answered with another id than Load.orderIdFor derives: " + wrongIds);
    }
    return List.copyOf(placed);
  }

  /** How many requests got each status (0: no response). */
  Map<Integer, Long> statuses() {
    Map<Integer, Long> out = new TreeMap<>();
    statuses.forEach((status, n) -> out.put(status, n.sum()));
    return out;
  }

  /** E.g. "212 requests for 205 orders: 201 x200, 503 x5, no answer x7". */
  String report() {
    List<String> parts = new ArrayList<>();
    statuses().forEach((s, n) -> parts.add((s == 0 ? "no answer" : s) + " x" + n));
    StringBuilder out =
        new StringBuilder()
            .append(total())
            .append(" requests for ")
            .append(order.size())
            .append(" orders: ")
            .append(String.join(", ", parts));
    details.forEach(
        (status, body) -> out.append("; first ").append(status).append(": ").append(body));
    return out.toString();
  }

  private long total() {
    return statuses.values().stream().mapToLong(LongAdder::sum).sum();
  }

  @Override
  public void close() {
    running = false;
    clients.shutdownNow();
  }

  private static String subject(String jwt) {
    String[] parts = jwt.split("\\.");
    if (parts.length < 2) {
      throw new IllegalArgumentException("not a JWT");
    }
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    return new JsonObject(payload).getString("sub");
  }
}
