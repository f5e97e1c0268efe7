package dev.baedal.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The orders this benchmark placed, by id. A push about an order may come before the 201 that tells
 * its id (the store hears of an order while the customer's answer is on its way): what to do with
 * it waits until the order is known, and is dropped after a while if it never is (an order of
 * someone else's on the same store).
 */
final class Orders {
  private static final long FORGET_NANOS = 60_000_000_000L;

  private final Map<String, Lifecycle> placed = new HashMap<>();
  private final Map<String, List<Consumer<Lifecycle>>> early = new HashMap<>();
  private final Map<String, Long> earlySince = new HashMap<>();

  void add(Lifecycle order) {
    placed.put(order.orderId, order);
    List<Consumer<Lifecycle>> waiting = early.remove(order.orderId);
    earlySince.remove(order.orderId);
    if (waiting != null) {
      waiting.forEach(action -> action.accept(order));
    }
  }

  void remove(Lifecycle order) {
    placed.remove(order.orderId);
  }

  /** Runs {@code action} with the order now, or once this benchmark has placed it. */
  void whenKnown(String orderId, Consumer<Lifecycle> action) {
    Lifecycle order = placed.get(orderId);
    if (order != null) {
      action.accept(order);
      return;
    }
    early.computeIfAbsent(orderId, k -> new ArrayList<>()).add(action);
    earlySince.putIfAbsent(orderId, System.nanoTime());
  }

  /** Drops what waits for orders this benchmark never placed. */
  void forgetStrangers() {
    long now = System.nanoTime();
    earlySince
        .entrySet()
        .removeIf(
            e -> {
              if (now - e.getValue() > FORGET_NANOS) {
                early.remove(e.getKey());
                return true;
              }
              return false;
            });
  }

  /** The orders not yet completed (or not yet done with). */
  List<Lifecycle> unfinished() {
    return placed.values().stream().filter(o -> !o.completed).toList();
  }

  int size() {
    return placed.size();
  }
}
