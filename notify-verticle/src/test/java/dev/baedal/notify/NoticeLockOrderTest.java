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
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
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
    List<UUID> ids =
        Stream.generate(UUID::randomUUID).limit(200).sorted(RowLocks.KEY_ORDER).toList();
    LockOrder.bothCommit(pool, ids, notices::lockAll);
    assertThat(LockOrder.rows(pool, "notify_svc.orders")).isEqualTo(ids.size());
  }
}
