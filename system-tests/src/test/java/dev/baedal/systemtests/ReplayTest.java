package dev.baedal.systemtests;

import static dev.baedal.systemtests.TestSystem.GOOD_CARD;
import static dev.baedal.systemtests.TestSystem.chickenOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.baedal.query.Rebuild;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplayTest {
  private static TestSystem system;

  @BeforeAll
  static void start() {
    system = TestSystem.start();
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  @Test
  @Order(1)
  @DisplayName(
      "a replay while customers keep ordering loses nothing, and a second replay gives views"
          + " byte-equal to the live ones")
  void replayEqualsLive() throws Exception {
    String kim = system.login("kim");
    String store1 = system.login("store-1");
    List<String> ids = new ArrayList<>(scenario(kim, store1));

    List<String> duringReplay = new CopyOnWriteArrayList<>();
    AtomicBoolean ordering = new AtomicBoolean(true);
    Thread customers =
        new Thread(
            () -> {
              while (ordering.get()) {
                duringReplay.add(system.placeAs(kim, chickenOrder(GOOD_CARD)));
              }
            },
            "customers");
    customers.start();
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> duringReplay.size() >= 3);
      Rebuild.Result first = rebuild();
      assertThat(first.events()).isPositive();
      assertThat(first.skipped()).isZero();
      // the live projection carries on in the swapped-in schema
      int placedBySwap = duringReplay.size();
      await().atMost(Duration.ofSeconds(30)).until(() -> duringReplay.size() >= placedBySwap + 3);
    } finally {
      ordering.set(false);
      customers.join();
    }
    assertThat(duringReplay).hasSizeGreaterThanOrEqualTo(6);
    for (String id : duringReplay) {
      system.awaitStatus(id, kim, "PAID");
    }
    ids.addAll(duringReplay);

    Map<String, String> live = views(ids);
    rebuild();
    Map<String, String> rebuilt = views(ids);
    ids.forEach(id -> assertThat(rebuilt.get(id)).as(id).isEqualTo(live.get(id)));
  }

  @Test
  @Order(2)
  @DisplayName(
      "a replay that could not rebuild a live view (its events gone from the topics) refuses to"
          + " swap, says why, and leaves the live views as they were")
  void replayRefusesToLoseViews() {
    String kim = system.login("kim");
    String kept = system.placeAs(kim, chickenOrder(GOOD_CARD));
    system.awaitStatus(kept, kim, "PAID");
    // a view whose events retention has deleted: in the live schema, in no topic
    String gone = UUID.randomUUID().toString();
    system.rows(
        "insert into query_svc.order_views (order_id, state, version) select $1::uuid,"
            + " jsonb_set(state, '{orderId}', to_jsonb($1::text)), 1 from query_svc.order_views"
            + " where order_id = $2::uuid",
        gone,
        kept);
    long before = system.count("select count(*) from query_svc.order_views");

    assertThatThrownBy(ReplayTest::rebuild)
        .isInstanceOf(Rebuild.RefusedException.class)
        .hasMessageContaining("1 order views")
        .hasMessageContaining(gone)
        .hasMessageContaining("no longer in the topics");

    assertThat(system.count("select count(*) from query_svc.order_views")).isEqualTo(before);
    assertThat(
            system.count(
                "select count(*) from information_schema.schemata"
                    + " where schema_name like 'query_svc_rebuild_%'"))
        .as("the refused rebuild is dropped")
        .isZero();
    assertThat(system.get("/api/orders/" + kept, kim).json().getString("status")).isEqualTo("PAID");
  }

  /** A completed, a cancelled and a rejected order, their refunds landed in the views. */
  private static List<String> scenario(String kim, String store1) {
    String completed = system.placeAs(kim, chickenOrder(GOOD_CARD));
    system.completeLifecycle(completed, kim);
    String cancelled = system.placeAs(kim, chickenOrder(GOOD_CARD));
    system.storeAction(store1, cancelled, "accept", null);
    system.awaitStatus(cancelled, kim, "ACCEPTED");
    system.post("/api/orders/" + cancelled + "/cancel", kim, null);
    system.awaitStatus(cancelled, kim, "CANCELLED");
    String rejected = system.placeAs(kim, chickenOrder(GOOD_CARD));
    system.storeAction(store1, rejected, "reject", new JsonObject().put("reason", "closing"));
    system.awaitStatus(rejected, kim, "REJECTED");
    for (String id : List.of(cancelled, rejected)) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  "REFUNDED"
                      .equals(
                          system
                              .get("/api/orders/" + id, kim)
                              .json()
                              .getJsonObject("payment")
                              .getString("status")));
    }
    assertThat(
            system
                .get("/api/orders/" + cancelled, kim)
                .json()
                .getJsonObject("payment")
                .getInteger("refunded"))
        .isEqualTo(40500);
    return List.of(completed, cancelled, rejected);
  }

  private static Rebuild.Result rebuild() {
    return new Rebuild(system.node.vertx(), system.settings, system.pool, line -> {}).run();
  }

  /** Each order's view as the API serves it, byte for byte. */
  private static Map<String, String> views(List<String> ids) {
    String kim = system.login("kim");
    Map<String, String> views = new LinkedHashMap<>();
    for (String id : ids) {
      views.put(id, system.get("/api/orders/" + id, kim).body());
    }
    return views;
  }
}
