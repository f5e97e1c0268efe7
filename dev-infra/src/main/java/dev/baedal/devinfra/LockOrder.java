package dev.baedal.devinfra;

import static dev.baedal.devinfra.TestInfra.join;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import java.util.function.Function;

/**
 * For tests: drives two writers of the same rows into the one interleaving where taking them in
 * different orders deadlocks, on a real PostgreSQL.
 *
 * <p>A blocker creates the row in the middle of the keys and keeps its transaction open; the two
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
   * Runs the interleaving above and returns once both writers committed; throws the failure of
   * either (a deadlock among them), or if they did not both come to wait for a lock.
   *
   * @param blocker writes the middle row, in a transaction this leaves open until both wait
   * @param first a writer, given the keys from the lowest up
   * @param second a writer, given the same keys from the highest down
   */
  public static void bothCommit(
      Pool pool,
      Function<SqlConnection, Future<?>> blocker,
      Function<SqlConnection, Future<?>> first,
      Function<SqlConnection, Future<?>> second) {
    SqlConnection held = join(pool.getConnection());
    try {
      Transaction tx = join(held.begin());
      join(blocker.apply(held));
      Future<?> a = pool.withTransaction(first::apply);
      Future<?> b = pool.withTransaction(second::apply);
      awaitBothWaiting(pool, a, b);
      join(tx.rollback());
      join(Future.all(a, b));
    } finally {
      join(held.close());
    }
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
