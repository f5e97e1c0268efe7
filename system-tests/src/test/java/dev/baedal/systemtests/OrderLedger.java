package dev.baedal.systemtests;

import dev.baedal.devinfra.KafkaProbe;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The accounting at the end of a fault test, order by order (global counts would let an orphaned
 * charge and an unpaid order cancel out). For every order id the {@link Load} attempted, answered
 * or not:
 *
 * <ul>
 *   <li>net charged ({@link Money}) == the order's final total; 0 when it was cancelled, rejected
 *       or never created;
 *   <li>nothing is charged to the load's customers for an order the load never attempted;
 *   <li>each effect once: the events named by {@link #onePerCreatedOrder} / {@link
 *       #atMostOnePerOrder} have one event id per order (a record the outbox published twice has
 *       the same id, and counts once), read from the topics up to their end offsets;
 *   <li>no notification id twice in the notifier's outbox file.
 * </ul>
 *
 * <pre>{@code
 * new OrderLedger(Money.tables(pool), bootstrap)
 *     .onePerCreatedOrder(Topics.ORDER_EVENTS, "order.placed")
 *     .notifications(notifier.outboxFile())
 *     .assertBalanced(load.attempts(), List.of(load.customer()), Duration.ofSeconds(60));
 * }</pre>
 */
final class OrderLedger {
  private final Money money;
  private final String bootstrap;
  private final List<EventRule> rules = new ArrayList<>();
  private Path notifications;

  /**
   * {@code ifCreated}: exactly one for a created order; {@code otherwise}: the most for one that
   * was never created.
   */
  private record EventRule(String topic, String type, int ifCreated, int otherwise) {}

  /** One order's line: what the ledger found and what is wrong with it (empty: balanced). */
  record Line(
      String orderId,
      List<Load.Attempt> attempts,
      long charged,
      Money.Order order,
      Map<String, Integer> events,
      List<String> problems) {
    @Override
    public String toString() {
      return "order "
          + orderId
          + ": charged "
          + charged
          + ", final total "
          + (order == null ? "0 (never created)" : order.finalTotal() + " (" + order.status() + ")")
          + ", events "
          + events
          + ", attempts "
          + attempts
          + (problems.isEmpty() ? "" : " -> " + String.join("; ", problems));
    }
  }

  /** The ledger: one line per order, and what concerns no single attempted order. */
  record Report(List<Line> lines, List<String> problems) {
    boolean balanced() {
      return problems.isEmpty() && lines.stream().allMatch(l -> l.problems().isEmpty());
    }

    List<Line> wrong() {
      return lines.stream().filter(l -> !l.problems().isEmpty()).toList();
    }

    @Override
    public String toString() {
      List<Line> wrong = wrong();
      StringBuilder out =
          new StringBuilder()
              .append(lines.size())
              .append(" orders attempted, ")
              .append(lines.stream().filter(l -> l.order() != null).count())
              .append(" created, ")
              .append(wrong.size())
              .append(" wrong");
      wrong.stream().limit(50).forEach(l -> out.append("\n  ").append(l));
      if (wrong.size() > 50) {
        out.append("\n  … and ").append(wrong.size() - 50).append(" more");
      }
      problems.forEach(p -> out.append("\n  ").append(p));
      return out.toString();
    }
  }

  OrderLedger(Money money, String bootstrap) {
    this.money = money;
    this.bootstrap = bootstrap;
  }

  /** Each created order has exactly one {@code type} event on {@code topic}, others none. */
  OrderLedger onePerCreatedOrder(String topic, String type) {
    rules.add(new EventRule(topic, type, 1, 0));
    return this;
  }

  /**
   * Each created order has exactly one {@code type} event on {@code topic}, others at most one
   * (e.g. an authorization whose order never came to be, voided since).
   */
  OrderLedger oncePerCreatedOrderAtMostOnceOtherwise(String topic, String type) {
    rules.add(new EventRule(topic, type, 1, 1));
    return this;
  }

  /** Each order has at most one {@code type} event on {@code topic}. */
  OrderLedger atMostOnePerOrder(String topic, String type) {
    rules.add(new EventRule(topic, type, -1, 1));
    return this;
  }

  /** Checks that no notification id appears twice in the notifier's outbox file. */
  OrderLedger notifications(Path outboxFile) {
    this.notifications = outboxFile;
    return this;
  }

  /**
   * Checks until the ledger balances or {@code window} (the reconcile window: voids and refunds
   * that are still on their way) has passed, then fails with the report of what is still wrong.
   */
  Report assertBalanced(
      Map<String, List<Load.Attempt>> attempts, Collection<String> customers, Duration window) {
    long deadline = System.nanoTime() + window.toNanos();
    Report report = check(attempts, customers);
    while (!report.balanced() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(500); // the poll's interval, under the deadline above
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      report = check(attempts, customers);
    }
    if (!report.balanced()) {
      throw new AssertionError("the ledger does not balance after " + window + ": " + report);
    }
    System.out.println("ledger: " + report);
    return report;
  }

  /** One look at the ledger. */
  Report check(Map<String, List<Load.Attempt>> attempts, Collection<String> customers) {
    Set<String> ids = attempts.keySet();
    Map<String, Long> charged = money.netCharged(ids);
    Map<String, Money.Order> orders = money.orders(ids);
    Map<String, Map<String, Set<String>>> events = events(ids);
    List<Line> lines = new ArrayList<>();
    for (Map.Entry<String, List<Load.Attempt>> e : attempts.entrySet()) {
      String id = e.getKey();
      long net = charged.getOrDefault(id, 0L);
      Money.Order order = orders.get(id);
      long total = order == null ? 0 : order.finalTotal();
      List<String> problems = new ArrayList<>();
      if (net != total) {
        problems.add("charged " + net + " but the final total is " + total);
      }
      Map<String, Set<String>> byType = events.getOrDefault(id, Map.of());
      Map<String, Integer> counts = new TreeMap<>();
      for (EventRule rule : rules) {
        int n = byType.getOrDefault(rule.type(), Set.of()).size();
        counts.put(rule.type(), n);
        boolean wrong =
            order != null && rule.ifCreated() >= 0
                ? n != rule.ifCreated()
                : n > (order != null ? 1 : rule.otherwise());
        if (wrong) {
          String expected =
              order != null && rule.ifCreated() >= 0
                  ? String.valueOf(rule.ifCreated())
                  : "at most " + (order != null ? 1 : rule.otherwise());
          problems.add(n + " distinct " + rule.type() + " events, expected " + expected);
        }
      }
      lines.add(new Line(id, e.getValue(), net, order, counts, problems));
    }
    List<String> problems = new ArrayList<>();
    Map<String, Long> unattempted = new TreeMap<>(money.chargedFor(customers));
    unattempted.keySet().removeAll(ids);
    unattempted.forEach(
        (id, net) -> problems.add("order " + id + " was never attempted but is charged " + net));
    problems.addAll(duplicateNotifications());
    return new Report(lines, problems);
  }

  /** Per order id (the record key): event type -> distinct event ids, for the rules' topics. */
  private Map<String, Map<String, Set<String>>> events(Set<String> ids) {
    Map<String, Map<String, Set<String>>> out = new HashMap<>();
    if (rules.isEmpty()) {
      return out;
    }
    Set<String> topics = new HashSet<>();
    Set<String> types = new HashSet<>();
    rules.forEach(
        r -> {
          topics.add(r.topic());
          types.add(r.type());
        });
    for (ConsumerRecord<String, String> r :
        KafkaProbe.readAll(bootstrap, topics, Duration.ofSeconds(60))) {
      if (r.key() == null || !ids.contains(r.key())) {
        continue;
      }
      JsonObject event = new JsonObject(r.value());
      if (types.contains(event.getString("type"))) {
        out.computeIfAbsent(r.key(), k -> new HashMap<>())
            .computeIfAbsent(event.getString("type"), t -> new HashSet<>())
            .add(event.getString("id"));
      }
    }
    return out;
  }

  private List<String> duplicateNotifications() {
    if (notifications == null || !Files.exists(notifications)) {
      return List.of();
    }
    Map<String, Integer> seen = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(notifications)) {
        if (line.isBlank()) {
          continue;
        }
        JsonObject n;
        try {
          n = new JsonObject(line);
        } catch (io.vertx.core.json.DecodeException torn) {
          continue; // a line torn by a crash is not a notification
        }
        seen.merge(n.getString("notificationId"), 1, Integer::sum);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> out = new ArrayList<>();
    seen.forEach(
        (id, n) -> {
          if (n > 1) {
            out.add("notification " + id + " sent " + n + " times");
          }
        });
    return out;
  }
}
