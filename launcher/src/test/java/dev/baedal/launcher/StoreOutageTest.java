package dev.baedal.launcher;

import static dev.baedal.launcher.TestSystem.GOOD_CARD;
import static dev.baedal.launcher.TestSystem.chickenOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baedal.devinfra.TestInfra;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class StoreOutageTest {
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
      "orders are accepted while the store context is down; back up, it processes each missed order once")
  void storeCatchesUp() {
    String kim = system.login("kim");
    TestInfra.join(system.node.undeploy(Service.STORE));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      TestSystem.Response r =
          system.placeOrder(kim, java.util.UUID.randomUUID().toString(), chickenOrder(GOOD_CARD));
      assertThat(r.status()).as(r.body()).isEqualTo(201);
      ids.add(r.json().getString("orderId"));
    }
    String[] idArray = ids.toArray(new String[0]);
    assertThat(
            system.count(
                "select count(*) from store_svc.store_orders where order_id::text = any($1)",
                (Object) idArray))
        .isZero();

    TestInfra.join(system.node.deploy(Service.STORE, system.settings, line -> {}));

    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                system.count(
                        "select count(*) from store_svc.store_orders where order_id::text = any($1)",
                        (Object) idArray)
                    == 20);
    // each once: one row each, and every order.placed of them recorded once in the store's inbox
    assertThat(
            system.count(
                "select count(distinct order_id) from store_svc.store_orders where order_id::text = any($1)",
                (Object) idArray))
        .isEqualTo(20);
    String store1 = system.login("store-1");
    for (String id : ids) {
      assertThat(system.post("/api/store/orders/" + id + "/accept", store1, null).status())
          .isEqualTo(200);
    }
    for (String id : ids) {
      system.awaitStatus(id, kim, "ACCEPTED");
    }
  }
}
