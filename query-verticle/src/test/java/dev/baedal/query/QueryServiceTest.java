package dev.baedal.query;

import static dev.baedal.devinfra.TestInfra.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.baedal.contract.EventType;
import dev.baedal.contract.events.Samples;
import dev.baedal.devinfra.LockOrder;
import dev.baedal.devinfra.TestInfra;
import dev.baedal.platform.Settings;
import dev.baedal.platform.db.AfterCommit;
import dev.baedal.platform.db.Database;
import dev.baedal.platform.db.RowLocks;
import dev.baedal.platform.events.CloudEvent;
import dev.baedal.platform.http.ProblemException;
import dev.baedal.platform.live.LiveFeed;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The projection into views, their versions and live messages, on a real PostgreSQL. */
class QueryServiceTest {
  private static final String LIVE = "test.live.orders";

  private final UUID orderId = UUID.randomUUID();
  private final List<JsonObject> pushed = new CopyOnWriteArrayList<>();
  private Vertx vertx;
  private Pool pool;
  private QueryService service;

  @BeforeEach
  void start() {
    Settings settings = Settings.defaults().with("pg.url", TestInfra.freshDatabase());
    vertx = Vertx.vertx();
    join(Database.migrate(vertx, settings, ViewRepository.SCHEMA, "query"));
    pool = Database.pool(vertx, settings);
    vertx.eventBus().<String>consumer(LIVE, m -> pushed.add(new JsonObject(m.body())));
    service = new QueryService(pool, ViewRepository.SCHEMA, new LiveFeed(vertx, LIVE));
  }

  @AfterEach
  void stop() {
    join(pool.close());
    join(vertx.close());
  }

  private CloudEvent event(EventType type, int second) {
    return Samples.of(type, orderId)
        .event("/test", orderId.toString(), Samples.T0.plusSeconds(second));
  }

  /** Handles {@code events} as one chunk of the consumer, in one transaction. */
  private void handle(CloudEvent... events) {
    join(AfterCommit.transaction(pool, tx -> service.handleAll(tx, Arrays.asList(events))));
  }

  private JsonObject snapshot(String role, String subject) {
    return join(
        service.snapshot(
            new JsonObject()
                .put("orderId", orderId.toString())
                .put("role", role)
                .put("subject", subject)));
  }

  /** The caller {@code role} {@code subject} is told there is no such order (404). */
  private void assertNotFound(String role, String subject) {
    assertThatThrownBy(() -> snapshot(role, subject))
        .as("%s %s", role, subject)
        .rootCause()
        .isInstanceOfSatisfying(ProblemException.class, p -> assertThat(p.status()).isEqualTo(404));
  }

  /** Waits until at least {@code n} live messages have come; the caller checks which. */
  private void awaitPushes(int n) {
    await().atMost(Duration.ofSeconds(5)).until(() -> pushed.size() >= n);
  }

  private List<Long> versions() {
    return pushed.stream().map(m -> m.getLong("version")).toList();
  }

  @Test
  @DisplayName(
      "the consumer and the early hand-over, creating the views of the same new orders from chunks"
          + " in opposite orders, both commit (no deadlock); each view is made once")
  void newViewsInOppositeOrders() {
    List<CloudEvent> placed =
        Samples.events(
            EventType.ORDER_PLACED,
            Stream.generate(UUID::randomUUID).limit(200).sorted(RowLocks.KEY_ORDER).toList());
    LockOrder.bothCommit(pool, placed, service::handleAll);
    List<Long> versions = new ArrayList<>();
    join(pool.query("select version from query_svc.order_views where status is not null").execute())
        .forEach(r -> versions.add(r.getLong(0)));
    assertThat(versions).hasSize(placed.size()).containsOnly(1L);
  }

  @Test
  @DisplayName(
      "each change of a view bumps its version by one and is pushed once committed, in order")
  void versionsAndPushes() {
    handle(
        event(EventType.ORDER_PLACED, 0),
        event(EventType.PAYMENT_AUTHORIZED, 1),
        event(EventType.STORE_ORDER_ACCEPTED, 10));
    awaitPushes(3);
    assertThat(versions()).containsExactly(1L, 2L, 3L);
    assertThat(pushed.get(2).getString("status")).isEqualTo("ACCEPTED");
    assertThat(pushed.get(2).getString("at")).isEqualTo(Samples.T0.plusSeconds(10).toString());

    JsonObject snapshot = snapshot("customer", "kim");
    assertThat(snapshot.getLong("version")).isEqualTo(3L);
    assertThat(snapshot.getJsonObject("view").getString("status")).isEqualTo("ACCEPTED");
    assertThat(snapshot.getJsonObject("view").getInteger("total")).isEqualTo(20000);
  }

  @Test
  @DisplayName("an event handled again changes nothing: no new version, no push")
  void redelivery() {
    CloudEvent placed = event(EventType.ORDER_PLACED, 0);
    CloudEvent accepted = event(EventType.STORE_ORDER_ACCEPTED, 10);
    handle(placed, accepted);
    awaitPushes(2);

    handle(placed, accepted);
    // a later change is pushed next: had the repeats been pushed, they would come before it
    handle(event(EventType.STORE_COOKING_STARTED, 20));
    awaitPushes(3);
    assertThat(versions()).containsExactly(1L, 2L, 3L);
    assertThat(pushed.get(2).getString("status")).isEqualTo("COOKING");
  }

  @Test
  @DisplayName(
      "events before order.placed make no view: nothing is pushed until the order is there")
  void earlyEvents() {
    handle(event(EventType.STORE_ORDER_ACCEPTED, 10));
    assertNotFound("customer", "kim");

    handle(event(EventType.ORDER_PLACED, 0));
    awaitPushes(1);
    assertThat(versions()).containsExactly(1L);
    assertThat(pushed.get(0).getString("status")).isEqualTo("ACCEPTED");
  }

  @Test
  @DisplayName(
      "a view is seen by its customer, its store and its rider once assigned; others get 404")
  void visibility() {
    handle(event(EventType.ORDER_PLACED, 0));
    assertThat(snapshot("customer", "kim").getString("orderId")).isEqualTo(orderId.toString());
    assertThat(snapshot("store", "store-1").getString("orderId")).isEqualTo(orderId.toString());
    for (String[] other :
        new String[][] {
          {"customer", "lee"}, {"store", "store-2"}, {"rider", "rider-1"}, {"admin", "kim"}
        }) {
      assertNotFound(other[0], other[1]);
    }

    handle(event(EventType.STORE_COOKING_STARTED, 20), event(EventType.DELIVERY_ASSIGNED, 30));
    assertThat(snapshot("rider", "rider-1").getJsonObject("view").getString("riderId"))
        .isEqualTo("rider-1");
    assertNotFound("rider", "rider-2");
  }

  @Test
  @DisplayName(
      "a rider's claim that comes before the start of cooking waits for it: COOKING is shown,"
          + " then RIDER_ASSIGNED, each a version of its own")
  void claimBeforeCooking() {
    handle(event(EventType.ORDER_PLACED, 0), event(EventType.STORE_ORDER_ACCEPTED, 10));
    awaitPushes(2);

    CloudEvent assigned = event(EventType.DELIVERY_ASSIGNED, 30);
    handle(assigned);
    assertThat(snapshot("customer", "kim").getLong("version")).isEqualTo(2L);
    assertThat(snapshot("customer", "kim").getJsonObject("view").getString("status"))
        .isEqualTo("ACCEPTED");
    assertNotFound("rider", "rider-1");

    handle(event(EventType.STORE_COOKING_STARTED, 20));
    awaitPushes(4);
    assertThat(versions()).containsExactly(1L, 2L, 3L, 4L);
    assertThat(pushed.subList(2, 4))
        .extracting(m -> m.getString("status"), m -> m.getString("at"))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("COOKING", Samples.T0.plusSeconds(20).toString()),
            org.assertj.core.groups.Tuple.tuple(
                "RIDER_ASSIGNED", Samples.T0.plusSeconds(30).toString()));
    assertThat(snapshot("rider", "rider-1").getLong("version")).isEqualTo(4L);

    // the claim's record again, once applied, changes nothing
    handle(assigned);
    handle(event(EventType.STORE_COOKING_FINISHED, 40));
    awaitPushes(5);
    assertThat(versions()).containsExactly(1L, 2L, 3L, 4L, 5L);
  }

  @Test
  @DisplayName("an event whose subject is not an order id fails its chunk and changes nothing")
  void badSubject() {
    CloudEvent bad =
        Samples.of(EventType.ORDER_PLACED, orderId).event("/test", "not-an-id", Samples.T0);
    assertThatThrownBy(() -> handle(event(EventType.ORDER_PLACED, 0), bad))
        .hasMessageContaining("not an order id");
    assertNotFound("customer", "kim");

    // rolled back: the order is new to the next chunk, so it is created and pushed as version 1
    handle(event(EventType.ORDER_PLACED, 0));
    awaitPushes(1);
    assertThat(versions()).containsExactly(1L);
  }
}
