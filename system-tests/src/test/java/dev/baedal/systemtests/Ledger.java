package dev.baedal.systemtests;

import static dev.baedal.devinfra.TestInfra.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baedal.devinfra.KafkaProbe;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The accounting at the end of a chaos test, straight from each context's tables and the Kafka log:
 * every order placed is there once everywhere, and nothing is charged without an order.
 */
final class Ledger {
  private final Pool pool;

  Ledger(Pool pool) {
    this.pool = pool;
  }

  /**
   * Each of {@code ids} is one order with one authorised payment, and (once the events got there)
   * one store order, one query view and one "paid" notification; no payment stays authorised
   * without an order.
   */
  void assertEachPlacedOnce(Collection<String> ids) {
    String[] a = ids.toArray(String[]::new);
    assertThat(
            count(
                "select count(*) from order_svc.orders where order_id::text = any($1)", (Object) a))
        .as("orders")
        .isEqualTo(a.length);
    assertThat(
            count(
                "select count(*) from payment_svc.payments"
                    + " where status = 'AUTHORIZED' and order_id::text = any($1)",
                (Object) a))
        .as("authorised payments")
        .isEqualTo(a.length);
    // payment by payment, not two global counts (an orphan and an unpaid order would cancel out)
    assertThat(
            rows(
                "select p.order_id::text from payment_svc.payments p where p.status = 'AUTHORIZED'"
                    + " and not exists (select 1 from order_svc.orders o"
                    + " where o.order_id = p.order_id)"))
        .as("authorized payments without an order")
        .isEmpty();
    awaitStoreOrders(ids);
    awaitCount("query views", "select count(*) from query_svc.order_views", a);
    awaitCount(
        "'paid' notifications",
        "select count(*) from notify_svc.notifications where template = 'order_paid'",
        a);
  }

  /**
   * Each of {@code ids} got its {@code template} notification (one each: the id derives from both).
   */
  void assertNotified(String template, Collection<String> ids) {
    awaitCount(
        "'" + template + "' notifications",
        "select count(*) from notify_svc.notifications where template = '" + template + "'",
        ids.toArray(String[]::new));
  }

  /** Waits until the store context knows each of {@code ids}. */
  void awaitStoreOrders(Collection<String> ids) {
    awaitCount(
        "store orders", "select count(*) from store_svc.store_orders", ids.toArray(String[]::new));
  }

  /** Each of {@code ids} was refunded exactly once. */
  void assertRefundedOnce(Collection<String> ids) {
    String[] a = ids.toArray(String[]::new);
    awaitCount("refunded orders", "select count(distinct order_id) from payment_svc.refunds", a);
    assertThat(
            count(
                "select count(*) from payment_svc.refunds where order_id::text = any($1)",
                (Object) a))
        .as("refunds")
        .isEqualTo(a.length);
  }

  /**
   * The log holds one event of {@code type} on {@code topic} for each of {@code ids}, none twice.
   */
  static void assertPublishedOnce(
      String bootstrap, String topic, String type, Collection<String> ids) {
    assertThat(events(bootstrap, topic, type, ids))
        .as(type + " events")
        .extracting(ConsumerRecord::key)
        .containsExactlyInAnyOrderElementsOf(Set.copyOf(ids));
  }

  /**
   * Each of {@code ids} has exactly one event of {@code type} on {@code topic}: a record may be in
   * the log twice after a crash (the outbox publishes at least once), but then with the same event
   * id, which every consumer takes once.
   */
  static void assertOneEventEach(
      String bootstrap, String topic, String type, Collection<String> ids) {
    Map<String, Set<String>> eventIds =
        events(bootstrap, topic, type, ids).stream()
            .collect(
                Collectors.groupingBy(
                    ConsumerRecord::key,
                    Collectors.mapping(
                        r -> new JsonObject(r.value()).getString("id"), Collectors.toSet())));
    assertThat(eventIds).as(type + " events").containsOnlyKeys(Set.copyOf(ids));
    assertThat(eventIds.values()).as("one " + type + " per order").allMatch(e -> e.size() == 1);
  }

  /** The records of {@code type} on {@code topic} about any of {@code ids}, duplicates included. */
  private static List<ConsumerRecord<String, String>> events(
      String bootstrap, String topic, String type, Collection<String> ids) {
    Set<String> wanted = Set.copyOf(ids);
    return KafkaProbe.read(
        bootstrap,
        List.of(topic),
        r -> wanted.contains(r.key()) && type.equals(new JsonObject(r.value()).getString("type")),
        wanted.size(),
        Duration.ofSeconds(90));
  }

  /** Waits until {@code sql}, restricted to the orders in {@code ids}, counts all of them. */
  private void awaitCount(String what, String sql, String[] ids) {
    String restricted =
        sql + (sql.contains(" where ") ? " and" : " where") + " order_id::text = any($1)";
    await(what)
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> assertThat(count(restricted, (Object) ids)).as(what).isEqualTo(ids.length));
  }

  private List<String> rows(String sql) {
    List<String> out = new java.util.ArrayList<>();
    join(pool.query(sql).execute()).forEach(r -> out.add(r.getString(0)));
    return out;
  }

  long count(String sql, Object... args) {
    return join(
        pool.preparedQuery(sql)
            .execute(Tuple.wrap(args))
            .map(rs -> rs.iterator().next().getLong(0)));
  }
}
