package dev.baedal.launcher;

import static dev.baedal.launcher.TestSystem.GOOD_CARD;
import static dev.baedal.launcher.TestSystem.chickenOrder;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Throws well over a thousand malformed or hostile requests at the API (a seeded random mix, so a
 * failure can be replayed): bad JSON, huge numbers, unicode, wrong types, path tricks, forged
 * tokens. None may get a 5xx, every error must be problem JSON, and the only orders created are the
 * ones answered 201.
 */
class FuzzTest {
  private static final long SEED = 20261126L;
  private static final int REQUESTS = 1200;
  private static TestSystem system;
  private static String kim;
  private static String store1;
  private static String rider1;
  private static String orderId;

  @BeforeAll
  static void start() {
    system = TestSystem.start();
    kim = system.login("kim");
    store1 = system.login("store-1");
    rider1 = system.login("rider-1");
    orderId = system.placeAs(kim, chickenOrder(GOOD_CARD));
    system.awaitStatus(orderId, kim, "PAID");
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  @Test
  @DisplayName(
      "1200 malformed or hostile requests: no 5xx, problem JSON for every error, no order created without a 201")
  void hostileRequests() {
    Random random = new Random(SEED);
    long ordersBefore = system.count("select count(*) from order_svc.orders");
    long paymentsBefore =
        system.count("select count(*) from payment_svc.payments where status = 'AUTHORIZED'");
    int created = 0;
    List<String> failures = new ArrayList<>();
    java.util.Map<Integer, Integer> statuses = new java.util.TreeMap<>();
    for (int i = 0; i < REQUESTS; i++) {
      String[] request = request(random);
      TestSystem.Response r =
          system.send(request[0], request[1], request[2], request[3], request[4]);
      statuses.merge(r.status(), 1, Integer::sum);
      if (r.status() >= 500) {
        failures.add(
            r.status()
                + " for "
                + String.join(" | ", request)
                    .substring(0, Math.min(300, String.join(" | ", request).length()))
                + " -> "
                + r.body());
      } else if (r.status() >= 400
          && !"application/problem+json".equals(r.header("Content-Type"))) {
        failures.add("not problem JSON: " + r.status() + " " + request[0] + " " + request[1]);
      }
      if (r.status() == 201 && request[1].equals("/api/orders")) {
        created++;
      }
    }
    System.out.println("fuzz: " + REQUESTS + " requests, answers by status " + statuses);
    assertThat(failures).as("requests answered with 5xx or without problem JSON").isEmpty();
    assertThat(system.count("select count(*) from order_svc.orders"))
        .isEqualTo(ordersBefore + created);
    assertThat(
            system.count("select count(*) from payment_svc.payments where status = 'AUTHORIZED'"))
        .isEqualTo(paymentsBefore + created);
  }

  /** {method, path, token, body, idempotencyKey} */
  private static String[] request(Random random) {
    String token =
        pick(random, kim, kim, kim, store1, rider1, null, "x.y.z", kim + "x", forgedRole());
    return switch (random.nextInt(6)) {
      case 0, 1, 2 ->
          new String[] {"POST", "/api/orders", token, mutatedOrder(random), key(random)};
      case 3 ->
          new String[] {
            pick(random, "GET", "POST", "PATCH", "PUT", "DELETE"),
            hostilePath(random),
            token,
            junk(random),
            key(random)
          };
      case 4 -> new String[] {"PATCH", "/api/orders/" + orderId, token, mutatedItems(random), null};
      default ->
          new String[] {
            "POST",
            pick(
                random,
                "/api/store/orders/" + orderId + "/reject",
                "/api/rider/deliveries/" + orderId + "/claim",
                "/api/auth/login"),
            pick(random, store1, rider1, kim, null),
            junk(random),
            null
          };
    };
  }

  private static String mutatedOrder(Random random) {
    JsonObject order = chickenOrder(GOOD_CARD);
    int mutations = 1 + random.nextInt(3);
    for (int m = 0; m < mutations; m++) {
      if (random.nextInt(12) == 11) {
        return junk(random);
      }
      try {
        mutate(order, random);
      } catch (NullPointerException | ClassCastException e) {
        // an earlier mutation removed or retyped what this one wanted to change: fine, go on
      }
    }
    return order.encode();
  }

  private static void mutate(JsonObject order, Random random) {
    switch (random.nextInt(11)) {
      case 0 -> order.put("storeId", weird(random));
      case 1 -> order.put("items", weird(random));
      case 2 -> order.getJsonArray("items").getJsonObject(0).put("quantity", weird(random));
      case 3 -> order.getJsonArray("items").getJsonObject(0).put("menuId", weird(random));
      case 4 -> order.put("deliveryAddress", weird(random));
      case 5 -> order.getJsonObject("deliveryAddress").put("lat", weird(random));
      case 6 -> order.put("express", weird(random));
      case 7 -> order.getJsonObject("payment").put("cardNumber", weird(random));
      case 8 -> order.remove(pick(random, "storeId", "items", "deliveryAddress", "payment"));
      case 9 -> order.put("payment", weird(random));
      default -> order.getJsonArray("items").add(weird(random));
    }
  }

  private static String mutatedItems(Random random) {
    return random.nextBoolean()
        ? new JsonObject().put("items", weird(random)).encode()
        : new JsonObject()
            .put(
                "items",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("menuId", weird(random))
                            .put("quantity", weird(random))))
            .encode();
  }

  private static Object weird(Random random) {
    return switch (random.nextInt(14)) {
      case 0 -> null;
      case 1 -> "";
      case 2 -> "😀🍗 치킨 \u0000 \u202e" + "x".repeat(random.nextInt(5));
      case 3 -> new BigInteger("9".repeat(1 + random.nextInt(60)));
      case 4 -> -random.nextInt(1000);
      case 5 -> random.nextDouble() * 1e308;
      case 6 -> Double.MIN_VALUE;
      case 7 -> new JsonArray().add(1).add("two");
      case 8 -> new JsonObject().put("$ne", 1);
      case 9 -> "' or 1=1; drop table orders; --";
      case 10 -> "../../../../etc/passwd";
      case 11 -> "x".repeat(5000);
      case 12 -> true;
      default -> random.nextInt();
    };
  }

  private static String junk(Random random) {
    return switch (random.nextInt(8)) {
      case 0 -> "";
      case 1 -> "{";
      case 2 -> "[]";
      case 3 -> "null";
      case 4 -> "\"string\"";
      case 5 -> "{\"a\":" + "[".repeat(3000) + "]".repeat(3000) + "}";
      case 6 ->
          "{\"storeId\": \"store-1\", \"items\": [{\"menuId\": \"cola\", \"quantity\": 1e400}]}";
      default ->
          new String(new char[] {(char) random.nextInt(0xD7FF), (char) random.nextInt(0xD7FF)});
    };
  }

  private static String hostilePath(Random random) {
    return pick(
        random,
        "/api/orders/..%2F..%2Fetc%2Fpasswd",
        "/api/orders/%00",
        "/api/orders/" + "a".repeat(3000),
        "/api/orders/" + UUID.randomUUID() + "/cancel/../confirm",
        "/api/store/orders/" + orderId + "/%2e%2e",
        "/api/rider/deliveries?lat=NaN&lng=Infinity",
        "/api/rider/deliveries?lat=1e400&lng=-1e400",
        "/api/stores/%F0%9F%8D%97/menu",
        "/api/../../etc/passwd",
        "/api/orders?status=%3Cscript%3E",
        "/ws/orders/" + orderId,
        "/api/store/orders?status=%27%20or%201%3D1");
  }

  private static String forgedRole() {
    // a structurally valid token whose signature is not ours: role escalation attempt
    return "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzdG9yZS0xIiwicm9sZSI6InN0b3JlIn0.c2lnbmF0dXJl";
  }

  private static String key(Random random) {
    return random.nextInt(10) == 0
        ? null
        : random.nextInt(10) == 0 ? "k".repeat(300) : UUID.randomUUID().toString();
  }

  @SafeVarargs
  private static <T> T pick(Random random, T... options) {
    return options[random.nextInt(options.length)];
  }
}
