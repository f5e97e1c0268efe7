package dev.baedal.store;

import static dev.baedal.devinfra.TestInfra.join;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baedal.contract.EventType;
import dev.baedal.contract.events.Samples;
import dev.baedal.devinfra.LockOrder;
import dev.baedal.devinfra.TestInfra;
import dev.baedal.platform.Settings;
import dev.baedal.platform.db.Database;
import dev.baedal.platform.db.RowLocks;
import dev.baedal.platform.events.CloudEvent;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The store context stores new orders in key order, on a real PostgreSQL. */
class StoreLockOrderTest {
  private Vertx vertx;
  private Pool pool;
  private StoreService service;

  @BeforeEach
  void start() {
    Settings settings = Settings.defaults().with("pg.url", TestInfra.freshDatabase());
    vertx = Vertx.vertx();
    join(Database.migrate(vertx, settings, Catalog.SCHEMA, "store"));
    pool = Database.pool(vertx, settings);
    join(
        pool.query(
                "insert into store_svc.stores (store_id, name, name_ko, lat, lng)"
                    + " values ('store-1', 'Hanok Chicken', '한옥치킨', 37.4979, 127.0276)")
            .execute());
    service = new StoreService(vertx, pool, new Catalog(pool), 1000);
  }

  @AfterEach
  void stop() {
    join(pool.close());
    join(vertx.close());
  }

  @Test
  @DisplayName(
      "the consumer and the early hand-over, storing the same new orders from chunks in opposite"
          + " orders, both commit (no deadlock) and store each order once")
  void newOrdersInOppositeOrders() {
    List<CloudEvent> placed =
        Samples.events(
            EventType.ORDER_PLACED,
            Stream.generate(UUID::randomUUID).limit(200).sorted(RowLocks.KEY_ORDER).toList());
    LockOrder.bothCommit(pool, placed, service::on);
    assertThat(LockOrder.rows(pool, "store_svc.store_orders")).isEqualTo(placed.size());
  }
}
