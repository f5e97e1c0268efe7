package dev.baedal.notify;

import static dev.baedal.devinfra.TestInfra.join;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baedal.devinfra.LockOrder;
import dev.baedal.devinfra.TestInfra;
import dev.baedal.platform.Settings;
import dev.baedal.platform.db.Database;
import dev.baedal.platform.db.RowLocks;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The notify context locks the states of orders in key order, on a real PostgreSQL. */
class NoticeLockOrderTest {
  private final NoticeRepository notices = new NoticeRepository();
  private Vertx vertx;
  private Pool pool;

  @BeforeEach
  void start() {
    Settings settings = Settings.defaults().with("pg.url", TestInfra.freshDatabase());
    vertx = Vertx.vertx();
    join(Database.migrate(vertx, settings, NoticeRepository.SCHEMA, "notify"));
    pool = Database.pool(vertx, settings);
  }

  @AfterEach
  void stop() {
    join(pool.close());
    join(vertx.close());
  }

  @Test
  @DisplayName(
      "two writers that take the states of the same new orders in opposite orders both commit (no"
          + " deadlock), each state made once")
  void newStatesInOppositeOrders() {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      ids.add(UUID.randomUUID());
    }
    ids.sort(RowLocks.KEY_ORDER);
    List<UUID> backwards = new ArrayList<>(ids);
    Collections.reverse(backwards);
    LockOrder.bothCommit(
        pool,
        tx -> notices.lockAll(tx, List.of(ids.get(100))),
        tx -> notices.lockAll(tx, ids),
        tx -> notices.lockAll(tx, backwards));
    long states =
        join(pool.query("select count(*) from notify_svc.orders").execute())
            .iterator()
            .next()
            .getLong(0);
    assertThat(states).isEqualTo(ids.size());
  }
}
