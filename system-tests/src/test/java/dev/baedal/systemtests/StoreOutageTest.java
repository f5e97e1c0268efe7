package dev.baedal.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baedal.devinfra.TestInfra;
import dev.baedal.launcher.Service;
import dev.baedal.platform.Topics;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class StoreOutageTest {
  private static final int CLIENTS = 3;
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
  @DisplayName(
      "under load, orders are accepted while the store context is down; back up, it processes each"
          + " missed order once")
  void storeCatchesUp() throws InterruptedException {
    Load load = Load.start(system, system.login("kim"), CLIENTS);
    List<String> ids;
    List<String> duringOutage;
    try (load) {
      load.awaitMore(10);
      TestInfra.join(system.node.undeploy(Service.STORE));
      int stoppedAt = load.placed().size();
      load.awaitMore(30);
      // at most one request per client was in flight when the store stopped
      List<String> placed = load.placed();
      duringOutage = placed.subList(stoppedAt + CLIENTS, placed.size());
      assertThat(
              system.count(
                  "select count(*) from store_svc.store_orders where order_id::text = any($1)",
                  (Object) duringOutage.toArray(String[]::new)))
          .as("the store context is down")
          .isZero();
      TestInfra.join(system.node.deploy(Service.STORE, system.settings, line -> {}));
      load.awaitMore(10);
      ids = load.stop();
    }
    assertThat(load.statuses()).as("every request, store down or not").containsOnlyKeys(201);
    system.ledger.assertEachPlacedOnce(ids);
    String store1 = system.login("store-1");
    for (String id : duringOutage) {
      assertThat(system.post("/api/store/orders/" + id + "/accept", store1, null).status())
          .isEqualTo(200);
    }
    String kim = system.login("kim");
    for (String id : duringOutage) {
      system.awaitStatus(id, kim, "ACCEPTED");
    }
    // once: the orders it caught up on were each accepted once, one event id each in the log
    // (a second store order or a second acceptance would be a second event)
    Ledger.assertOneEventEach(
        TestInfra.kafka(), system.topic(Topics.STORE_EVENTS), "store.order-accepted", duringOutage);
    assertThat(
            system.count(
                "select count(*) from store_svc.store_orders where order_id::text = any($1)",
                (Object) ids.toArray(String[]::new)))
        .isEqualTo(ids.size());
  }
}
