package dev.baedal.platform.kafka;

import static dev.baedal.devinfra.TestInfra.join;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baedal.devinfra.LockOrder;
import dev.baedal.devinfra.TestInfra;
import dev.baedal.platform.Settings;
import dev.baedal.platform.db.Database;
import dev.baedal.platform.events.CloudEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The inbox records a chunk's events in one order whoever writes them, on a real PostgreSQL. */
class InboxLockOrderTest {
  private Vertx vertx;
  private Pool pool;
  private final ConcurrentLinkedQueue<String> handled = new ConcurrentLinkedQueue<>();
  private Inbox inbox;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    Settings settings = Settings.defaults().with("pg.url", TestInfra.freshDatabase());
    pool = Database.pool(vertx, settings);
    // the platform's migrations make every context's inbox
    join(Database.migrate(vertx, settings, "ib", "platformtest"));
    inbox =
        new Inbox(
            "ib",
            (tx, event) -> {
              handled.add(event.id());
              return Future.succeededFuture();
            });
  }

  @AfterEach
  void stop() {
    join(pool.close());
    join(vertx.close());
  }

  private static CloudEvent event(int i) {
    return new CloudEvent(
        String.format("e-%03d", i), "/test", "test.event", "s", Instant.now(), new JsonObject());
  }

  @Test
  @DisplayName(
      "the consumer and the early hand-over, recording the same events in opposite orders, both"
          + " commit, and each event is handled once")
  void oppositeOrders() {
    List<CloudEvent> events = IntStream.range(0, 200).mapToObj(InboxLockOrderTest::event).toList();
    LockOrder.bothCommit(
        pool,
        events,
        (tx, some) -> inbox.handleEvents(tx, Collections.nCopies(some.size(), "t"), some));
    List<String> seen = new ArrayList<>(handled);
    // the first is the blocker's, rolled back; of the two writers, each event went to one
    assertThat(seen.subList(1, seen.size())).hasSize(events.size()).doesNotHaveDuplicates();
  }
}
