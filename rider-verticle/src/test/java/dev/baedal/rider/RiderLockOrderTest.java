package dev.baedal.rider;

import static dev.baedal.devinfra.TestInfra.join;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baedal.contract.EventType;
import dev.baedal.contract.Reach;
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

/** The rider context opens deliveries in key order, on a real PostgreSQL. */
class RiderLockOrderTest {
  private Vertx vertx;
  private Pool pool;
  private RiderService service;

  @BeforeEach
  void start() {
    Settings settings = Settings.defaults().with("pg.url", TestInfra.freshDatabase());
    vertx = Vertx.vertx();
    join(Database.migrate(vertx, settings, DeliveryRepository.SCHEMA, "rider"));
    pool = Database.pool(vertx, settings);
    service = new RiderService(vertx, pool, Reach.of(settings), 1000);
  }

  @AfterEach
  void stop() {
    join(pool.close());
    join(vertx.close());
  }

  @Test
  @DisplayName(
      "the consumer and the early hand-over, opening the same deliveries from chunks in opposite"
          + " orders, both commit (no deadlock) and open each delivery once")
  void newDeliveriesInOppositeOrders() {
    List<CloudEvent> started =
        Samples.events(
            EventType.STORE_COOKING_STARTED,
            Stream.generate(UUID::randomUUID).limit(200).sorted(RowLocks.KEY_ORDER).toList());
    LockOrder.bothCommit(pool, started, service::on);
    assertThat(LockOrder.rows(pool, "rider_svc.deliveries")).isEqualTo(started.size());
  }
}
