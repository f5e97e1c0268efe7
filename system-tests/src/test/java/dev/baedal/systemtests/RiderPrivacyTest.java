package dev.baedal.systemtests;

import static dev.baedal.systemtests.TestSystem.GOOD_CARD;
import static dev.baedal.systemtests.TestSystem.chickenOrder;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Contract section 3 and issue 11, finding 6: the customer's phone is in no token; the order gets
 * it from the customer's account when it is placed; only the rider who claims the delivery sees it
 * (and the exact address), over REST and on /ws/rider; the others never do.
 */
class RiderPrivacyTest {
  private static final String KIM_PHONE = "010-1234-5678";
  private static final String ADDRESS = "테헤란로";
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
      "the phone is not in the customer's token; the claiming rider gets it from the account, the"
          + " other rider never sees it or the address, over REST or WebSocket")
  void phoneOnlyToTheAssignedRider() {
    String kim = system.login("kim");
    String payload = kim.split("\\.")[1];
    assertThat(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8))
        .doesNotContain("phone", KIM_PHONE);
    String store = system.login("store-1");
    String rider1 = system.login("rider-1");
    String rider2 = system.login("rider-2");
    WsClient claimer = WsClient.connect(system, "/ws/rider", rider1);
    WsClient other = WsClient.connect(system, "/ws/rider", rider2);
    claimer.send(LiveWorkTest.NEAR_STORE_1);
    other.send(LiveWorkTest.NEAR_STORE_1);

    String id = system.placeAs(kim, chickenOrder(GOOD_CARD));
    system.storeAction(store, id, "accept", null);
    assertThat(system.post("/api/store/orders/" + id + "/start-cooking", store, null).status())
        .isEqualTo(200);
    system.awaitDelivery(id);
    other.await("the offer", m -> "offer".equals(m.getString("type")) && m.encode().contains(id));
    String offers = system.get("/api/rider/deliveries?lat=37.4990&lng=127.0280", rider2).body();
    assertThat(offers).contains(id).doesNotContain(KIM_PHONE, ADDRESS, "customerPhone");

    assertThat(
            system
                .post("/api/rider/deliveries/" + id + "/claim", rider1, LiveWorkTest.NEAR_STORE_1)
                .status())
        .isEqualTo(200);
    JsonObject mine =
        claimer
            .await("mine", m -> "mine".equals(m.getString("type")) && m.encode().contains(id))
            .getJsonObject("delivery");
    assertThat(mine.getString("customerPhone")).isEqualTo(KIM_PHONE);
    assertThat(system.get("/api/rider/deliveries/mine", rider1).body())
        .contains(KIM_PHONE, ADDRESS);
    other.await(
        "taken", m -> "taken".equals(m.getString("type")) && id.equals(m.getString("orderId")));

    assertThat(system.get("/api/rider/deliveries/mine", rider2).body())
        .doesNotContain(id, KIM_PHONE, ADDRESS);
    assertThat(system.get("/api/rider/deliveries?lat=37.4990&lng=127.0280", rider2).body())
        .doesNotContain(KIM_PHONE, ADDRESS);
    assertThat(other.messages().toString()).doesNotContain(KIM_PHONE, ADDRESS);
    claimer.close();
    other.close();
  }
}
