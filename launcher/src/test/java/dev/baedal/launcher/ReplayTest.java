package dev.baedal.launcher;

import static dev.baedal.launcher.TestSystem.GOOD_CARD;
import static dev.baedal.launcher.TestSystem.chickenOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baedal.contract.OrderView;
import dev.baedal.query.Rebuild;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

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
  @DisplayName(
      "views rebuilt from the topics alone equal the live ones after a full scenario, and serve the API")
  void replayEqualsLive() {
    String kim = system.login("kim");
    String store1 = system.login("store-1");
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
    List<String> ids = List.of(completed, cancelled, rejected);
    // let the refunds and thank-you land in the live views too
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                "REFUNDED"
                        .equals(
                            system
                                .get("/api/orders/" + cancelled, kim)
                                .json()
                                .getJsonObject("payment")
                                .getString("status"))
                    && "REFUNDED"
                        .equals(
                            system
                                .get("/api/orders/" + rejected, kim)
                                .json()
                                .getJsonObject("payment")
                                .getString("status")));
    Map<String, JsonObject> live = views(ids);

    Rebuild.Result result =
        new Rebuild(system.node.vertx(), system.settings, system.pool, line -> {}).run();

    assertThat(result.events()).isPositive();
    Map<String, JsonObject> rebuilt = views(ids);
    assertThat(rebuilt).isEqualTo(live);
    assertThat(live.get(completed).getString("status")).isEqualTo("COMPLETED");
    assertThat(live.get(cancelled).getJsonObject("payment").getInteger("refunded"))
        .isEqualTo(40500);
    assertThat(system.get("/api/orders/" + completed, kim).json().getString("status"))
        .isEqualTo("COMPLETED");
    // the live projection carries on in the swapped-in schema
    String after = system.placeAs(kim, chickenOrder(GOOD_CARD));
    system.awaitStatus(after, kim, "PAID");
  }

  private static Map<String, JsonObject> views(List<String> ids) {
    Map<String, JsonObject> views = new HashMap<>();
    for (String id : ids) {
      JsonObject state =
          system
              .rows("select state from query_svc.order_views where order_id = $1::uuid", id)
              .get(0)
              .getJsonObject(0);
      views.put(id, OrderView.view(state));
    }
    return views;
  }
}
