package dev.baedal.systemtests;

import static dev.baedal.systemtests.Api.chickenOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baedal.devinfra.KafkaProbe;
import dev.baedal.devinfra.TestInfra;
import dev.baedal.platform.Addresses;
import dev.baedal.platform.CardSeal;
import dev.baedal.platform.Topics;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The card number stops at the gateway: only its seal crosses the event bus, and the number is in
 * no Kafka record and no PostgreSQL row afterwards. Only the payment context can open the seal.
 */
class CardNumberTest {
  private static TestSystem system;
  private static final List<String> busMessages = Collections.synchronizedList(new ArrayList<>());

  @BeforeAll
  static void start() {
    system = TestSystem.start();
    system
        .node
        .vertx()
        .eventBus()
        .addOutboundInterceptor(
            ctx -> {
              busMessages.add(ctx.message().address() + " " + ctx.body());
              ctx.next();
            });
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  @Test
  @DisplayName(
      "an order's card number crosses no event bus message, Kafka record or table row; its seal does")
  void theNumberStopsAtTheGateway() {
    String card = randomCard();
    String kim = system.login("kim");
    TestSystem.Response placed =
        system.placeOrder(kim, UUID.randomUUID().toString(), chickenOrder(card));
    assertThat(placed.status()).isEqualTo(201);
    String orderId = placed.json().getString("orderId");
    // the order's events are all out before anything is searched
    KafkaProbe.read(
        List.of(system.topic(Topics.PAYMENT_EVENTS)),
        r -> orderId.equals(r.key()),
        1,
        Duration.ofSeconds(20));

    assertThat(busMessages)
        .as("the seal went over the bus")
        .anyMatch(m -> m.startsWith(Addresses.ORDER_PLACE + " ") && m.contains("\"sealed\":\"v1."))
        .noneMatch(m -> m.contains(card));
    List<String> topics =
        Stream.concat(Topics.EVENT_TOPICS.stream(), Stream.of(Topics.CATALOG))
            .map(system::topic)
            .toList();
    assertThat(KafkaProbe.readAll(TestInfra.kafka(), topics, Duration.ofSeconds(20)))
        .noneMatch(r -> r.value() != null && r.value().contains(card));
    for (Row table :
        system.rows(
            "select table_schema || '.' || table_name as name from information_schema.tables"
                + " where table_schema like '%\\_svc' and table_type = 'BASE TABLE'")) {
      String name = table.getString("name");
      assertThat(
              system.count(
                  "select count(*) from " + name + " t where t::text like $1", "%" + card + "%"))
          .as(name)
          .isZero();
    }
    assertThat(
            system.count(
                "select count(*) from payment_svc.payments where order_id = $1::uuid"
                    + " and card_last4 = $2",
                orderId,
                card.substring(12)))
        .isOne();
  }

  @Test
  @DisplayName(
      "on the bus, a card number in clear is refused by the order context and a forged seal by"
          + " payment, and neither is charged")
  void onlyTheGatewaysSealPasses() {
    String card = randomCard();
    var bus = system.node.vertx().eventBus();
    JsonObject clear = chickenOrder(card);
    assertThatThrownBy(
            () ->
                TestInfra.join(
                    bus.request(
                        Addresses.ORDER_PLACE,
                        new JsonObject()
                            .put("customerId", "kim")
                            .put("idempotencyKey", UUID.randomUUID().toString())
                            .put("body", clear))))
        .hasRootCauseInstanceOf(ReplyException.class)
        .rootCause()
        .satisfies(e -> assertThat(((ReplyException) e).failureCode()).isEqualTo(400));
    // sealed under another key: the payment context cannot open it
    JsonObject forged =
        CardSeal.of(system.settings.with("payment.card-key", "another-key-" + UUID.randomUUID()))
            .seal(card);
    String orderId = UUID.randomUUID().toString();
    assertThatThrownBy(
            () ->
                TestInfra.join(
                    bus.request(
                        Addresses.PAYMENT_AUTHORIZE,
                        new JsonObject()
                            .put("orderId", orderId)
                            .put("customerId", "kim")
                            .put("amount", 1000)
                            .put("card", forged))))
        .hasRootCauseInstanceOf(ReplyException.class)
        .rootCause()
        .satisfies(e -> assertThat(((ReplyException) e).failureCode()).isEqualTo(400));
    assertThat(
            system.count(
                "select count(*) from payment_svc.payments where order_id = $1::uuid", orderId))
        .isZero();
  }

  /** A card number no other test uses: 15 random digits and the Luhn check digit. */
  private static String randomCard() {
    StringBuilder digits = new StringBuilder("5");
    while (digits.length() < 15) {
      digits.append(ThreadLocalRandom.current().nextInt(10));
    }
    for (int check = 0; check < 10; check++) {
      if (CardSeal.luhn(digits.toString() + check)) {
        return digits.toString() + check;
      }
    }
    throw new IllegalStateException("no check digit");
  }
}
