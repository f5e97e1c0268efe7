package dev.baedal.systemtests;

import static dev.baedal.systemtests.TestSystem.DECLINED_CARD;
import static dev.baedal.systemtests.TestSystem.GOOD_CARD;
import static dev.baedal.systemtests.TestSystem.chickenOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baedal.devinfra.KafkaProbe;
import dev.baedal.platform.Topics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OrderPlacementTest {
  private static TestSystem system;
  private static String kim;
  private static String lee;

  @BeforeAll
  static void start() {
    system = TestSystem.start();
    kim = system.login("kim");
    lee = system.login("lee");
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  @Test
  @DisplayName(
      "a paid order is created, stored in PostgreSQL, and its order.placed event is on Kafka keyed by the order id")
  void paidOrderIsCreated() {
    TestSystem.Response r =
        system.placeOrder(kim, UUID.randomUUID().toString(), chickenOrder(GOOD_CARD));

    assertThat(r.status()).isEqualTo(201);
    JsonObject body = r.json();
    String orderId = body.getString("orderId");
    assertThat(body.getString("status")).isEqualTo("PAID");
    assertThat(body.getInteger("deliveryFee")).isEqualTo(2000);
    assertThat(body.getInteger("total")).isEqualTo(2 * 18000 + 2500 + 2000);
    assertThat(body.getBoolean("express")).isFalse();
    assertThat(Instant.parse(body.getString("createdAt"))).isBefore(Instant.now().plusSeconds(1));
    assertThat(r.header("Location")).isEqualTo("/api/orders/" + orderId);

    assertThat(
            system.count(
                "select count(*) from order_svc.orders where order_id = $1::uuid and status = 'PAID'",
                orderId))
        .isOne();
    assertThat(
            system.count(
                "select count(*) from payment_svc.payments where order_id = $1::uuid and status = 'AUTHORIZED' and amount = 40500",
                orderId))
        .isOne();

    List<ConsumerRecord<String, String>> placed =
        eventsOf(orderId, system.topic(Topics.ORDER_EVENTS), 1);
    assertThat(placed).hasSize(1);
    ConsumerRecord<String, String> record = placed.get(0);
    assertThat(record.key()).isEqualTo(orderId);
    JsonObject envelope = new JsonObject(record.value());
    assertThat(envelope.getString("specversion")).isEqualTo("1.0");
    assertThat(envelope.getString("type")).isEqualTo("order.placed");
    assertThat(envelope.getString("source")).isEqualTo("/order");
    assertThat(envelope.getString("subject")).isEqualTo(orderId);
    assertThat(envelope.getString("datacontenttype")).isEqualTo("application/json");
    assertThat(UUID.fromString(envelope.getString("id"))).isNotNull();
    assertThat(Instant.parse(envelope.getString("time"))).isNotNull();
    JsonObject data = envelope.getJsonObject("data");
    assertThat(data.getString("customerId")).isEqualTo("kim");
    assertThat(data.getString("storeName")).isEqualTo("Hanok Chicken");
    assertThat(data.getInteger("total")).isEqualTo(40500);
    assertThat(data.getJsonArray("items")).hasSize(2);

    List<ConsumerRecord<String, String>> authorized =
        eventsOf(orderId, system.topic(Topics.PAYMENT_EVENTS), 1);
    assertThat(authorized)
        .extracting(rec -> new JsonObject(rec.value()).getString("type"))
        .containsExactly("payment.authorized");
  }

  @Test
  @DisplayName(
      "a price change on the catalog topic reaches new orders and never an order already placed")
  void priceChangeReachesNewOrdersOnly() {
    String before = system.placeAs(kim, chickenOrder(GOOD_CARD));
    JsonObject store = system.get("/api/stores", kim).array().getJsonObject(0);
    JsonArray menu = system.get("/api/stores/store-1/menu", kim).array();
    JsonArray dearer = new JsonArray();
    menu.forEach(
        m -> {
          JsonObject item = ((JsonObject) m).copy();
          if (item.getString("menuId").equals("chicken-fried")) {
            item.put("price", 21000);
          }
          dearer.add(item);
        });
    try {
      publishCatalog(store.copy().put("menu", dearer));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  system.count(
                          "select price from order_svc.catalog_items where store_id = 'store-1' and menu_id = 'chicken-fried'")
                      == 21000);
      String after = system.placeAs(kim, chickenOrder(GOOD_CARD));
      assertThat(system.awaitStatus(after, kim, "PAID").getInteger("total"))
          .isEqualTo(2 * 21000 + 2500 + 2000);
      assertThat(system.awaitStatus(before, kim, "PAID").getInteger("total")).isEqualTo(40500);
      assertThat(
              system.count("select total from order_svc.orders where order_id = $1::uuid", before))
          .isEqualTo(40500);
    } finally {
      publishCatalog(store.copy().put("menu", menu));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  system.count(
                          "select price from order_svc.catalog_items where store_id = 'store-1' and menu_id = 'chicken-fried'")
                      == 18000);
    }
  }

  private static void publishCatalog(JsonObject snapshot) {
    dev.baedal.platform.events.CloudEvent event =
        dev.baedal.platform.events.CloudEvent.of(
            "/store", "catalog.store-updated", "store-1", snapshot);
    KafkaProbe.send(system.topic(Topics.CATALOG), "store-1", event.encode());
  }

  @Test
  @DisplayName("express adds its fee on top of the delivery fee")
  void expressFee() {
    TestSystem.Response r =
        system.placeOrder(
            kim, UUID.randomUUID().toString(), chickenOrder(GOOD_CARD).put("express", true));
    assertThat(r.status()).isEqualTo(201);
    assertThat(r.json().getInteger("deliveryFee")).isEqualTo(5000);
    assertThat(r.json().getInteger("total")).isEqualTo(38500 + 5000);
    assertThat(r.json().getBoolean("express")).isTrue();
  }

  @Test
  @DisplayName("a declined card gets 402 and leaves no order, no payment and no event")
  void declinedCard() {
    String key = UUID.randomUUID().toString();
    String orderId = Load.orderIdFor("kim", key);
    TestSystem.Response r = system.placeOrder(kim, key, chickenOrder(DECLINED_CARD));

    assertThat(r.status()).isEqualTo(402);
    assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(r.json().getInteger("status")).isEqualTo(402);
    assertThat(r.json().getString("detail")).contains("declined");
    // this order, by its id: not stored, its payment intent recorded and declined, nothing
    // approved at the card network, and no event about it in the log
    assertThat(Money.tables(system.pool).orders(List.of(orderId))).isEmpty();
    assertThat(
            system.count(
                "select count(*) from payment_svc.payments where order_id = $1::uuid"
                    + " and status = 'DECLINED'",
                orderId))
        .isOne();
    assertThat(Money.tables(system.pool).netCharged(List.of(orderId))).containsEntry(orderId, 0L);
    assertThat(
            KafkaProbe.read(
                List.of(system.topic(Topics.ORDER_EVENTS), system.topic(Topics.PAYMENT_EVENTS)),
                rec -> orderId.equals(rec.key()),
                0,
                Duration.ofSeconds(20)))
        .isEmpty();
  }

  @Test
  @DisplayName("the same Idempotency-Key twice gives the same order and one charge")
  void idempotentRetry() {
    String key = UUID.randomUUID().toString();
    TestSystem.Response first = system.placeOrder(kim, key, chickenOrder(GOOD_CARD));
    TestSystem.Response second = system.placeOrder(kim, key, chickenOrder(GOOD_CARD));

    assertThat(first.status()).isEqualTo(201);
    assertThat(second.status()).isEqualTo(201);
    assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(second.json()).isEqualTo(first.json());
    String orderId = first.json().getString("orderId");
    assertThat(
            system.count(
                "select count(*) from order_svc.orders where order_id = $1::uuid", orderId))
        .isOne();
    assertThat(
            system.count(
                "select count(*) from payment_svc.payments where order_id = $1::uuid", orderId))
        .isOne();
    assertThat(eventsOf(orderId, system.topic(Topics.ORDER_EVENTS), 1)).hasSize(1);
  }

  @Test
  @DisplayName("concurrent requests with one Idempotency-Key make one order and one authorization")
  void idempotentUnderConcurrency() {
    String key = UUID.randomUUID().toString();
    List<CompletableFuture<TestSystem.Response>> calls =
        IntStream.range(0, 8)
            .mapToObj(
                i ->
                    CompletableFuture.supplyAsync(
                        () -> system.placeOrder(kim, key, chickenOrder(GOOD_CARD))))
            .toList();
    List<TestSystem.Response> responses = calls.stream().map(CompletableFuture::join).toList();

    assertThat(responses).extracting(TestSystem.Response::status).containsOnly(201);
    assertThat(responses)
        .extracting(r -> r.json().getString("orderId"))
        .containsOnly(responses.get(0).json().getString("orderId"));
    String orderId = responses.get(0).json().getString("orderId");
    assertThat(
            system.count(
                "select count(*) from payment_svc.payments where order_id = $1::uuid", orderId))
        .isOne();
    assertThat(eventsOf(orderId, system.topic(Topics.PAYMENT_EVENTS), 1)).hasSize(1);
  }

  @Test
  @DisplayName("one Idempotency-Key for two different orders is refused with 422")
  void keyReuseForAnotherOrder() {
    String key = UUID.randomUUID().toString();
    assertThat(system.placeOrder(kim, key, chickenOrder(GOOD_CARD)).status()).isEqualTo(201);
    TestSystem.Response other =
        system.placeOrder(kim, key, chickenOrder(GOOD_CARD).put("express", true));
    assertThat(other.status()).isEqualTo(422);
    assertThat(other.json().getString("detail")).contains("Idempotency-Key");
  }

  @Test
  @DisplayName("the same Idempotency-Key from another customer is another order")
  void keysArePerCustomer() {
    String key = UUID.randomUUID().toString();
    TestSystem.Response a = system.placeOrder(kim, key, chickenOrder(GOOD_CARD));
    TestSystem.Response b = system.placeOrder(lee, key, chickenOrder(GOOD_CARD));
    assertThat(a.status()).isEqualTo(201);
    assertThat(b.status()).isEqualTo(201);
    assertThat(a.json().getString("orderId")).isNotEqualTo(b.json().getString("orderId"));
  }

  @Test
  @DisplayName("a customer reads their own order; another customer gets 404")
  void readOwnOrderOnly() {
    String orderId =
        system
            .placeOrder(kim, UUID.randomUUID().toString(), chickenOrder(GOOD_CARD))
            .json()
            .getString("orderId");

    // right after the 201 (read your writes), with the charge: an order exists only once paid
    TestSystem.Response read = system.get("/api/orders/" + orderId, kim);
    assertThat(read.status()).isEqualTo(200);
    JsonObject mine = read.json();
    assertThat(mine.getString("status")).isEqualTo("PAID");
    assertThat(mine.getString("storeName")).isEqualTo("Hanok Chicken");
    assertThat(mine.getJsonObject("payment"))
        .isEqualTo(
            new JsonObject().put("status", "AUTHORIZED").put("amount", 40500).put("refunded", 0));

    assertThat(system.get("/api/orders/" + orderId, lee).status()).isEqualTo(404);
    assertThat(system.get("/api/orders/not-a-uuid", kim).status()).isEqualTo(404);
    assertThat(system.get("/api/orders/" + UUID.randomUUID(), kim).status()).isEqualTo(404);
  }

  @Test
  @DisplayName("the catalogue lists the demo stores and their menus in KRW")
  void catalogue() {
    TestSystem.Response stores = system.get("/api/stores", kim);
    assertThat(stores.status()).isEqualTo(200);
    assertThat(stores.array()).hasSize(2);
    JsonObject first = stores.array().getJsonObject(0);
    assertThat(first.getString("storeId")).isEqualTo("store-1");
    assertThat(first.getString("name")).isEqualTo("Hanok Chicken");
    assertThat(first.getJsonObject("location").getDouble("lat")).isBetween(37.4, 37.7);
    assertThat(first.getBoolean("open")).isTrue();

    TestSystem.Response menu = system.get("/api/stores/store-2/menu", kim);
    assertThat(menu.status()).isEqualTo(200);
    assertThat(menu.array().size()).isGreaterThanOrEqualTo(4);
    assertThat(menu.array().getJsonObject(0).getInteger("price")).isPositive();
    assertThat(system.get("/api/stores/store-9/menu", kim).status()).isEqualTo(404);
  }

  private static List<ConsumerRecord<String, String>> eventsOf(
      String orderId, String topic, int expected) {
    return KafkaProbe.read(
        List.of(topic), r -> orderId.equals(r.key()), expected, Duration.ofSeconds(30));
  }
}
