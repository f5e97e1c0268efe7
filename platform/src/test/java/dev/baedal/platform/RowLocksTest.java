package dev.baedal.platform;

import static dev.baedal.devinfra.TestInfra.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baedal.devinfra.LockOrder;
import dev.baedal.platform.db.Database;
import dev.baedal.platform.db.RowLocks;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RowLocksTest {
  private static final String LOCK =
      "select id, n from rowlocks_test.counters where id = any($1) order by id for update";
  private static final String CREATE =
      "insert into rowlocks_test.counters (id) select id from unnest($1::uuid[]) as id order by id"
          + " on conflict do nothing";

  private Vertx vertx;
  private Pool pool;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    pool = Database.pool(vertx, Infra.settings());
    join(
        pool.query(
                "create schema rowlocks_test; create table rowlocks_test.counters"
                    + " (id uuid primary key, n int not null default 0)")
            .execute());
  }

  @AfterEach
  void stop() {
    join(pool.close());
    join(vertx.close());
  }

  @Test
  @DisplayName("the rows that exist are locked as they are, the missing ones created first")
  void locksAndCreates() {
    UUID known = UUID.randomUUID();
    UUID fresh = UUID.randomUUID();
    join(
        pool.preparedQuery("insert into rowlocks_test.counters values ($1, 5)")
            .execute(Tuple.of(known)));

    Map<UUID, Row> rows =
        join(
            pool.withTransaction(
                tx -> RowLocks.lockOrCreate(tx, LOCK, CREATE, List.of(known, fresh))));

    assertThat(rows).containsOnlyKeys(known, fresh);
    assertThat(rows.get(known).getInteger("n")).isEqualTo(5);
    assertThat(rows.get(fresh).getInteger("n")).isZero();
    assertThat(count()).isEqualTo(2);
  }

  @Test
  @DisplayName("two writers of a new row: the second waits for the first and sees its write")
  void secondWriterOfANewRowWaits() {
    UUID id = UUID.randomUUID();
    SqlConnection first = join(pool.getConnection());
    Transaction firstTx = join(first.begin());
    join(RowLocks.lockOrCreate(first, LOCK, CREATE, List.of(id)));
    join(
        first
            .preparedQuery("update rowlocks_test.counters set n = n + 1 where id = $1")
            .execute(Tuple.of(id)));

    Future<Map<UUID, Row>> second =
        pool.withTransaction(tx -> RowLocks.lockOrCreate(tx, LOCK, CREATE, List.of(id)));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                join(pool.query(
                                "select count(*) from pg_stat_activity"
                                    + " where wait_event_type = 'Lock'"
                                    + " and query like '%rowlocks_test.counters%'")
                            .execute())
                        .iterator()
                        .next()
                        .getLong(0)
                    == 1);
    assertThat(second.isComplete()).as("the second writer waits for the first").isFalse();

    join(firstTx.commit());
    join(first.close());

    assertThat(join(second).get(id).getInteger("n")).isEqualTo(1);
    assertThat(count()).isEqualTo(1);
  }

  /** 200 new keys in PostgreSQL's order of uuids. */
  private static List<UUID> sortedKeys() {
    return Stream.generate(UUID::randomUUID).limit(200).sorted(RowLocks.KEY_ORDER).toList();
  }

  @Test
  @DisplayName("KEY_ORDER is PostgreSQL's order of uuids")
  void keyOrder() {
    List<UUID> keys = sortedKeys();
    List<UUID> backwards = new ArrayList<>(keys);
    Collections.reverse(backwards);
    List<UUID> byPostgres = new ArrayList<>();
    join(pool.preparedQuery("select id from unnest($1::uuid[]) as id order by id")
            .execute(Tuple.of(backwards.toArray(new UUID[0]))))
        .forEach(r -> byPostgres.add(r.getUUID(0)));
    assertThat(keys).isEqualTo(byPostgres);
  }

  @Test
  @DisplayName(
      "two writers that create and lock the same new rows, given them in opposite orders, both"
          + " commit (no deadlock)")
  void newRowsInOppositeOrders() {
    List<UUID> keys = sortedKeys();
    LockOrder.bothCommit(pool, keys, (tx, some) -> RowLocks.lockOrCreate(tx, LOCK, CREATE, some));
    assertThat(count()).isEqualTo(keys.size());
  }

  private long count() {
    return join(pool.query("select count(*) from rowlocks_test.counters").execute())
        .iterator()
        .next()
        .getLong(0);
  }
}
