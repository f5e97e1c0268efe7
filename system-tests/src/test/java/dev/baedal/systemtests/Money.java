package dev.baedal.systemtests;

import static dev.baedal.devinfra.TestInfra.join;

import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * What the {@link OrderLedger} asks about money, per order id. The SQL against the payment and
 * order contexts' tables is here and nowhere else: when their schema changes, this is the one place
 * to follow it.
 */
interface Money {
  /** An order as stored: its final total (0 once cancelled or rejected) and its status. */
  record Order(long finalTotal, String status) {}

  /**
   * Net charged per order id, as the card's issuer sees it: approved authorizations (the order's
   * and its changes') − what reached it as refunds or voids. Orders never charged are absent.
   */
  Map<String, Long> netCharged(Collection<String> orderIds);

  /** The stored orders among {@code orderIds}; absent: never created. */
  Map<String, Order> orders(Collection<String> orderIds);

  /** Net charged per order id for every order of {@code customers} with a net charge. */
  Map<String, Long> chargedFor(Collection<String> customers);

  /** Today's tables: payment_svc.payments (with adjustments added in) and refunds; orders. */
  static Money tables(Pool pool) {
    return new Money() {
      // what the card's holder pays, from the issuer's side: every authorization the (simulated)
      // card network approved under the order's payment id or one of its change ids, less what
      // it has reversed (refunds and voids that reached it); not what our tables say we did
      private static final String NET =
          "select p.order_id::text, coalesce((select sum(l.amount - l.reversed) from"
              + " payment_svc.card_network_ledger l where l.outcome = 'APPROVED' and (l.key ="
              + " p.payment_id or l.key in (select a.modification_id from payment_svc.adjustments"
              + " a where a.order_id = p.order_id))), 0) from payment_svc.payments p";
      private static final String ORDERS =
          "select order_id::text, case when status in ('CANCELLED', 'REJECTED') then 0 else total"
              + " end, status from order_svc.orders where order_id::text = any($1)";

      @Override
      public Map<String, Long> netCharged(Collection<String> orderIds) {
        return longs(NET + " where p.order_id::text = any($1)", orderIds.toArray(String[]::new));
      }

      @Override
      public Map<String, Order> orders(Collection<String> orderIds) {
        Map<String, Order> out = new HashMap<>();
        for (Row r : rows(ORDERS, (Object) orderIds.toArray(String[]::new))) {
          out.put(r.getString(0), new Order(r.getLong(1), r.getString(2)));
        }
        return out;
      }

      @Override
      public Map<String, Long> chargedFor(Collection<String> customers) {
        Map<String, Long> all =
            longs(NET + " where p.customer_id = any($1)", customers.toArray(String[]::new));
        all.values().removeIf(v -> v == 0);
        return all;
      }

      private Map<String, Long> longs(String sql, String[] arg) {
        Map<String, Long> out = new HashMap<>();
        for (Row r : rows(sql, (Object) arg)) {
          out.put(r.getString(0), r.getLong(1));
        }
        return out;
      }

      private Iterable<Row> rows(String sql, Object arg) {
        return join(pool.preparedQuery(sql).execute(Tuple.of(arg)));
      }
    };
  }
}
