package dev.baedal.platform.db;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Locks the rows of a chunk of keys for update inside a transaction, creating those that do not
 * exist yet, so that the lock covers new keys too: two writers (a rebalance, a replay catching up)
 * can never both create a row and one overwrite the other.
 *
 * <p><b>One order for every lock.</b> Two transactions that take the same rows in different orders
 * can each hold one the other waits for: PostgreSQL finds that deadlock only after {@code
 * deadlock_timeout} (a second), rolls one back, and everything queued behind both waits that
 * second. A context's consumer and its early hand-over ({@code ContextKit}) take the rows of the
 * same orders at the same time, in the orders their events came in (a batch of records goes
 * partition by partition, the hand-over in the order of commits), so every writer takes rows in key
 * order: the statements sort ({@code order by} the key, in the {@code insert ... select} and before
 * {@code for update}), and a handler that inserts row by row sorts by {@link #KEY_ORDER}.
 *
 * <p>Sorting each statement is not enough when one transaction locks in two steps: had it locked
 * the rows that exist first and then created and locked the others, a row another writer created in
 * between would be locked out of order (and it was: deadlocks between the query side's consumer and
 * its early hand-over, under load). So every key is created first ({@code on conflict do nothing},
 * which waits for a writer that is creating the same key) and then all are locked in one statement;
 * the two go out together, in one round trip.
 */
public final class RowLocks {
  /**
   * The order of PostgreSQL's {@code uuid} (its bytes compared unsigned), the order in which rows
   * keyed by uuid are inserted and locked.
   */
  public static final Comparator<UUID> KEY_ORDER =
      (a, b) -> {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0
            ? high
            : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
      };

  private RowLocks() {}

  /**
   * The rows of {@code ids}, by key, locked.
   *
   * @param lock a query of the rows {@code where key = any($1) order by key for update}, the key
   *     first
   * @param create an insert of a row for each of {@code unnest($1::uuid[]) as key order by key},
   *     {@code on conflict do nothing}
   */
  public static Future<Map<UUID, Row>> lockOrCreate(
      SqlClient tx, String lock, String create, Collection<UUID> ids) {
    Tuple keys = Tuple.of(ids.toArray(new UUID[0]));
    // both are sent at once (the connection pipelines them); PostgreSQL runs them in turn, and the
    // lock's snapshot sees the rows just created and those whose creation the insert waited for
    Future<?> created = tx.preparedQuery(create).execute(keys);
    Future<Map<UUID, Row>> locked =
        tx.preparedQuery(lock)
            .execute(keys)
            .map(
                rows -> {
                  Map<UUID, Row> out = new HashMap<>();
                  rows.forEach(r -> out.put(r.getUUID(0), r));
                  return out;
                });
    return Future.all(created, locked).map(v -> locked.result());
  }
}
