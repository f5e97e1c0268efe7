package dev.baedal.platform.db;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Locks the rows of a chunk of keys for update inside a transaction, creating those that do not
 * exist yet, so that the lock covers new keys too: two writers (a rebalance, a replay catching up)
 * can never both create a row and one overwrite the other.
 *
 * <p>Most chunks are about rows that exist already, so the rows are locked first and only the
 * missing ones are created (and then locked): one round trip in the common case, three at most.
 */
public final class RowLocks {
  private RowLocks() {}

  /**
   * The rows of {@code ids}, by key, locked.
   *
   * @param lock a query of the rows {@code where key = any($1) for update}, the key first
   * @param create an insert of a row for each of {@code unnest($1::uuid[])}, {@code on conflict do
   *     nothing}
   */
  public static Future<Map<UUID, Row>> lockOrCreate(
      SqlClient tx, String lock, String create, Collection<UUID> ids) {
    Map<UUID, Row> out = new HashMap<>();
    return lock(tx, lock, ids, out)
        .compose(
            v -> {
              List<UUID> missing = new ArrayList<>();
              for (UUID id : ids) {
                if (!out.containsKey(id)) {
                  missing.add(id);
                }
              }
              if (missing.isEmpty()) {
                return Future.succeededFuture(out);
              }
              return tx.preparedQuery(create)
                  .execute(Tuple.of(missing.toArray(new UUID[0])))
                  .compose(created -> lock(tx, lock, missing, out))
                  .map(out);
            });
  }

  private static Future<Void> lock(
      SqlClient tx, String lock, Collection<UUID> ids, Map<UUID, Row> out) {
    return tx.preparedQuery(lock)
        .execute(Tuple.of(ids.toArray(new UUID[0])))
        .map(
            rows -> {
              rows.forEach(r -> out.put(r.getUUID(0), r));
              return null;
            });
  }
}
