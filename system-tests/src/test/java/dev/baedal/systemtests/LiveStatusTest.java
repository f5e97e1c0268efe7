package dev.baedal.systemtests;

import static dev.baedal.systemtests.TestSystem.GOOD_CARD;
import static dev.baedal.systemtests.TestSystem.chickenOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.baedal.launcher.Service;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The query side and the live WebSocket status, with real HTTP and WebSocket clients. */
class LiveStatusTest {
  private static TestSystem system;
  private static String kim;
  private static String store1;
  private static String rider1;

  @BeforeAll
  static void start() {
    system = TestSystem.start();
    kim = system.login("kim");
    store1 = system.login("store-1");
    rider1 = system.login("rider-1");
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  @Test
  @DisplayName(
      "a WebSocket client gets the current view, then every status of the lifecycle in order; closing it leaks nothing")
  void everyStatusLive() {
    String id = system.placeAs(kim, chickenOrder(GOOD_CARD));
    system.awaitStatus(id, kim, "PAID");
    Client customer = Client.connect(system, id, kim);
    Client store = Client.connect(system, id, store1);
    await().atMost(Duration.ofSeconds(10)).until(() -> !customer.messages().isEmpty());
    JsonObject first = customer.messages().get(0);
    assertThat(first.getString("orderId")).isEqualTo(id);
    assertThat(first.getString("status")).isEqualTo("PAID");
    assertThat(first.getJsonObject("view").getString("storeName")).isEqualTo("Hanok Chicken");

    system.storeAction(store1, id, "accept", null);
    customer.awaitStatus("ACCEPTED");
    system.post("/api/store/orders/" + id + "/start-cooking", store1, null);
    customer.awaitStatus("COOKING");
    system.awaitDelivery(id);
    system.post("/api/rider/deliveries/" + id + "/claim", rider1, LifecycleTest.NEAR_STORE_1);
    customer.awaitStatus("RIDER_ASSIGNED");
    Client rider = Client.connect(system, id, rider1);
    system.post("/api/store/orders/" + id + "/finish-cooking", store1, null);
    customer.awaitStatus("COOKED");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                system.post("/api/rider/deliveries/" + id + "/pickup", rider1, null).status()
                    == 200);
    customer.awaitStatus("PICKED_UP");
    system.post("/api/rider/deliveries/" + id + "/deliver", rider1, null);
    customer.awaitStatus("DELIVERED");
    system.post("/api/orders/" + id + "/confirm", kim, null);
    customer.awaitStatus("COMPLETED");

    assertThat(customer.statusChanges())
        .containsExactly(
            "PAID",
            "ACCEPTED",
            "COOKING",
            "RIDER_ASSIGNED",
            "COOKED",
            "PICKED_UP",
            "DELIVERED",
            "COMPLETED");
    store.awaitStatus("COMPLETED");
    assertThat(store.statusChanges()).containsExactlyElementsOf(customer.statusChanges());
    rider.awaitStatus("COMPLETED");
    JsonObject last = customer.messages().get(customer.messages().size() - 1);
    assertThat(last.getJsonObject("view").getJsonArray("timeline")).hasSize(8);
    assertThat(last.getString("at")).isNotBlank();

    assertThat(sessions()).isEqualTo(3.0);
    customer.close();
    store.close();
    rider.close();
    await().atMost(Duration.ofSeconds(10)).until(() -> sessions() == 0.0);
  }

  @Test
  @DisplayName("only the order's customer, its store and its rider may subscribe")
  void unauthorizedSubscribersAreRefused() {
    String id = system.placeAs(kim, chickenOrder(GOOD_CARD));
    system.awaitStatus(id, kim, "PAID");
    assertRefused(id, null, 401);
    assertRefused(id, "not-a-token", 401);
    assertRefused(id, system.login("lee"), 404);
    assertRefused(id, system.login("store-2"), 404);
    assertRefused(id, system.login("rider-2"), 404);
    assertRefused("not-a-uuid", kim, 404);
    Client.connect(system, id, store1).close();
  }

  @Test
  @DisplayName("the query side answers while order, payment, store and rider are stopped")
  void answersWithWritersStopped() {
    String id = system.placeAs(kim, chickenOrder(GOOD_CARD));
    system.storeAction(store1, id, "accept", null);
    system.awaitStatus(id, kim, "ACCEPTED");
    for (Service s : List.of(Service.ORDER, Service.PAYMENT, Service.STORE, Service.RIDER)) {
      dev.baedal.devinfra.TestInfra.join(system.node.undeploy(s));
    }
    try {
      TestSystem.Response one = system.get("/api/orders/" + id, kim);
      assertThat(one.status()).isEqualTo(200);
      assertThat(one.json().getString("status")).isEqualTo("ACCEPTED");
      assertThat(one.json().getJsonObject("payment").getString("status")).isEqualTo("AUTHORIZED");
      TestSystem.Response mine = system.get("/api/orders", kim);
      assertThat(mine.status()).isEqualTo(200);
      assertThat(mine.array().getJsonObject(0).getString("orderId")).isEqualTo(id);
      assertThat(
              system.get("/api/orders", store1).array().stream()
                  .map(o -> ((JsonObject) o).getString("orderId")))
          .contains(id);
      // a command to a stopped context is a 503 problem, not a hang
      TestSystem.Response cancel = system.post("/api/orders/" + id + "/cancel", kim, null);
      assertThat(cancel.status()).isEqualTo(503);
      assertThat(cancel.header("Content-Type")).isEqualTo("application/problem+json");
    } finally {
      for (Service s : List.of(Service.PAYMENT, Service.STORE, Service.ORDER, Service.RIDER)) {
        dev.baedal.devinfra.TestInfra.join(system.node.deploy(s, system.settings, line -> {}));
      }
    }
  }

  private static double sessions() {
    String series = "baedal_websocket_sessions ";
    return system
        .metrics()
        .lines()
        .filter(l -> l.startsWith(series))
        .mapToDouble(l -> Double.parseDouble(l.substring(series.length()).trim()))
        .findFirst()
        .orElse(-1);
  }

  private static void assertRefused(String id, String token, int status) {
    assertThatThrownBy(() -> Client.connect(system, id, token))
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(UpgradeRejectedException.class)
        .satisfies(
            e ->
                assertThat(((UpgradeRejectedException) e.getCause()).getStatus())
                    .isEqualTo(status));
  }

  /** A subscriber of one order's socket ({@link WsClient}), read by status. */
  static final class Client {
    private final WsClient ws;

    private Client(WsClient ws) {
      this.ws = ws;
    }

    static Client connect(TestSystem system, String orderId, String token) {
      return new Client(WsClient.connect(system, "/ws/orders/" + orderId, token));
    }

    List<JsonObject> messages() {
      return ws.messages();
    }

    void awaitStatus(String status) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> messages().stream().anyMatch(m -> status.equals(m.getString("status"))));
    }

    /** The statuses in the order they came, each change once. */
    List<String> statusChanges() {
      return ws.statusChanges();
    }

    void close() {
      ws.close();
    }
  }
}
