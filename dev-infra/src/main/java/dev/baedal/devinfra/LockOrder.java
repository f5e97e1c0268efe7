package dev.baedal.devinfra;

import static dev.baedal.devinfra.TestInfra.join;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BiFunction;

/**
 * For tests: drives two writers of the same rows into the one interleaving where taking them in
 * different orders deadlocks, on a real PostgreSQL.
 *
 * <p>A blocker writes the row in the middle of the keys and keeps its transaction open; the two
 * writers start at once, each in a transaction of its own, and both come to wait for a lock; then
 * the blocker rolls back. Writers that take rows in one order meet on the first row: one waits for
 * the other, which goes on through the middle row, and both commit. Writers that take them in
 * opposite orders (one from the lowest key up, the other from the highest down) each hold the rows
 * on their side of the middle when it is freed, and each then needs the other's: PostgreSQL finds
 * the deadlock (after {@code deadlock_timeout}) and fails one with 40P01.
 */
public final class LockOrder {
  private static final long WAIT_MS = 10_000;

  private LockOrder() {}

  /**
   * Runs the interleaving above with {@code writer} as blocker and writers, and returns once both
   * writers committed; throws the failure of either (a deadlock among them), or if they did not
   * both come to wait for a lock.
   *
   * @param items what the writers are given, in the order of the keys of the rows they take (at
   *     least three): the blocker gets the middle one, the first writer all of them in this order,
   *     the second all of them backwards
   * @param writer writes the rows of the items it is given, inside the transaction it is given
   */
  public static <T> void bothCommit(
      Pool pool, List<T> items, BiFunction<SqlConnection, List<T>, Future<?>> writer) {
    List<T> backwards = new ArrayList<>(items);
    Collections.reverse(backwards);
    SqlConnection held = join(pool.getConnection());
    try {
      Transaction tx = join(held.begin());
      join(writer.apply(held, List.of(items.get(items.size() / 2))));
      Future<?> first = pool.withTransaction(c -> writer.apply(c, items));
      Future<?> second = pool.withTransaction(c -> writer.apply(c, backwards));
      awaitBothWaiting(pool, first, second);
      join(tx.rollback());
      join(Future.all(first, second));
    } finally {
      join(held.close());
    }
  }

  /** How many rows {@code table} has. */
  public static long rows(Pool pool, String table) {
    return join(pool.query("select count(*) from " + table).execute()).iterator().next().getLong(0);
  }

  private static void awaitBothWaiting(Pool pool, Future<?> a, Future<?> b) {
    long deadline = System.currentTimeMillis() + WAIT_MS;
    while (true) {
      if (a.isComplete() || b.isComplete()) {
        throw new AssertionError(
            "a writer finished while the blocker held the middle row: the writers and the"
                + " blocker do not share it ("
                + (a.failed() ? a.cause() : b.failed() ? b.cause() : "committed")
                + ")");
      }
      long waiting =
          join(pool.query(
                      "select count(*) from pg_stat_activity"
                          + " where datname = current_database() and wait_event_type = 'Lock'")
                  .execute())
              .iterator()
              .next()
              .getLong(0);
      if (waiting >= 2) {
        return;
      }
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError(
            "the writers did not both come to wait for a lock within " + WAIT_MS + " ms");
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
