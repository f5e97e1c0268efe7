package dev.baedal.platform.db;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Actions that must happen only once a transaction has committed, such as telling live subscribers
 * about a change: code inside the transaction registers them with {@link #run}, and {@link
 * #transaction} runs them after the commit (and drops them on a rollback).
 */
public final class AfterCommit {
  private static final Map<SqlConnection, List<Runnable>> PENDING = new ConcurrentHashMap<>();

  private AfterCommit() {}

  /**
   * Runs {@code action} after {@code tx} commits. Outside {@link #transaction} (a transaction this
   * class does not manage), the action is dropped: nobody would know when to run it.
   */
  public static void run(SqlClient tx, Runnable action) {
    List<Runnable> actions = PENDING.get(tx);
    if (actions != null) {
      actions.add(action);
    }
  }

  /** {@code pool.withTransaction(work)}, then the actions registered inside it if it committed. */
  public static <T> Future<T> transaction(Pool pool, Function<SqlConnection, Future<T>> work) {
    SqlConnection[] used = new SqlConnection[1];
    return pool.<T>withTransaction(
            tx -> {
              used[0] = tx;
              PENDING.put(tx, new ArrayList<>());
              return work.apply(tx);
            })
        .andThen(
            ar -> {
              List<Runnable> actions = used[0] == null ? null : PENDING.remove(used[0]);
              if (ar.succeeded() && actions != null) {
                actions.forEach(Runnable::run);
              }
            });
  }
}
