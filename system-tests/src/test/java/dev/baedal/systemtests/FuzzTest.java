package dev.baedal.systemtests;

import static dev.baedal.systemtests.TestSystem.GOOD_CARD;
import static dev.baedal.systemtests.TestSystem.chickenOrder;
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

  /** Control characters, bad percent-encoding, lone surrogates, over-long values, and friends. */
  private static final List<String> HOSTILE =
      List.of(
          "\u0000",
          "a\u0000b",
          "\u0001",
          "\u001f",
          "\u007f",
          "\t",
          "line\nbreak",
          "\r\n",
          "%",
          "%zz",
          "%E0%A4",
          "%00",
          "\ud800",
          "x\udc00y",
          "\u202eevil",
          "😀".repeat(50),
          "x".repeat(5_000),
          "x".repeat(70_000));

  /** Body fields (JSON pointer, hostile value goes there) of each request with a string. */
  private static final List<String[]> BODY_FIELDS =
      List.of(
          new String[] {"POST", "/api/orders", "/storeId"},
          new String[] {"POST", "/api/orders", "/items/0/menuId"},
          new String[] {"POST", "/api/orders", "/deliveryAddress/text"},
          new String[] {"POST", "/api/orders", "/payment/method"},
          new String[] {"POST", "/api/orders", "/payment/cardNumber"},
          new String[] {"POST", "/api/orders", "/extra"},
          new String[] {"PATCH", "/api/orders/{order}", "/items/0/menuId"},
          new String[] {"POST", "/api/store/orders/{order}/reject", "/reason"},
          new String[] {"POST", "/api/auth/login", "/username"},
          new String[] {"POST", "/api/auth/login", "/password"});

  @Test
  @DisplayName(
      "every string field, header, query parameter and path parameter with control characters,"
          + " %, invalid percent-encoding, lone surrogates and over-long values: no 5xx, problem"
          + " JSON, 400 for control characters, and no payment from any refused request")
  void hostileStrings() {
    RawHttp raw = new RawHttp(system.node.httpPort());
    long paymentsBefore = system.count("select count(*) from payment_svc.payments");
    int sent = 0;
    int created = 0;
    int fiveHundreds = 0;
    List<String> failures = new ArrayList<>();
    for (String value : HOSTILE) {
      boolean control = value.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
      boolean surrogate = value.contains("\ud800") || value.contains("\udc00");
      boolean tooLong = value.length() > 60_000;
      for (String[] field : BODY_FIELDS) {
        boolean freeText = field[2].equals("/deliveryAddress/text") || field[2].equals("/reason");
        boolean opaque = field[2].equals("/password");
        boolean allowed = freeText && value.chars().allMatch(c -> c >= 0x20 || c == 9 || c == 10);
        String path = field[1].replace("{order}", orderId);
        String token =
            path.startsWith("/api/store") ? store1 : path.startsWith("/api/auth") ? null : kim;
        String body = hostileBody(path, field[2], value);
        RawHttp.Answer a =
            raw.send(
                field[0],
                path,
                body,
                token == null ? "X-None: 1" : "Authorization: Bearer " + token,
                "Idempotency-Key: " + UUID.randomUUID());
        sent++;
        if (a.status() == 201) {
          created++;
        }
        boolean must400 = !tooLong && ((control && !allowed && !opaque) || surrogate);
        fiveHundreds += check(failures, a, field[0] + " " + path + " " + field[2], value, must400);
      }
      // headers: the key the order is filed under, the token, and any other
      for (String header : List.of("Idempotency-Key: ", "Authorization: Bearer ", "X-Note: ")) {
        String h = header + value.replace("\r\n", "\n");
        RawHttp.Answer a =
            raw.send(
                "POST",
                "/api/orders",
                chickenOrder(GOOD_CARD).encode(),
                h,
                header.startsWith("Authorization") ? "X-None: 1" : "Authorization: Bearer " + kim,
                header.startsWith("Idempotency")
                    ? "X-None: 1"
                    : "Idempotency-Key: " + UUID.randomUUID());
        sent++;
        if (a.status() == 201) {
          created++;
        }
        // the server trims blanks (tab too) around a header value, as HTTP says
        boolean headerControl = value.strip().chars().anyMatch(c -> c < 0x20 || c == 0x7f);
        boolean keyBad = header.startsWith("Idempotency") && (value.contains("%") || headerControl);
        fiveHundreds +=
            check(
                failures,
                a,
                "header " + header.trim(),
                value,
                !tooLong && (headerControl || keyBad));
      }
      // query and path parameters, percent-encoded as a client would, and raw as an attacker would
      for (String encoded : List.of(percentEncode(value), value.length() < 10 ? value : "")) {
        if (encoded.isEmpty() || encoded.contains(" ") || encoded.contains("\n")) {
          continue;
        }
        for (String[] target :
            List.of(
                new String[] {"GET", "/api/store/orders?status=" + encoded, store1},
                new String[] {"GET", "/api/rider/deliveries?lat=" + encoded + "&lng=1", rider1},
                new String[] {"GET", "/api/stores?x=" + encoded, kim},
                new String[] {"GET", "/api/orders/" + encoded, kim},
                new String[] {"GET", "/api/stores/" + encoded + "/menu", kim},
                new String[] {"POST", "/api/store/orders/" + encoded + "/accept", store1},
                new String[] {"POST", "/api/rider/deliveries/" + encoded + "/claim", rider1},
                new String[] {"POST", "/api/orders/" + encoded + "/cancel", kim},
                new String[] {"GET", "/ws/orders/" + encoded + "?token=" + kim, null},
                new String[] {"GET", "/ws/store?token=" + encoded, null})) {
          RawHttp.Answer a =
              raw.send(
                  target[0],
                  target[1],
                  target[0].equals("POST") ? "{\"lat\":37.5,\"lng\":127.03}" : null,
                  target[2] == null ? "X-None: 1" : "Authorization: Bearer " + target[2]);
          sent++;
          boolean rawValue = encoded.equals(value);
          boolean query =
              target[1].contains("?") && target[1].indexOf(encoded) > target[1].indexOf('?');
          // raw: a bad escape (or one of a control character) is a 400; a raw blank or control
          // character ends the request line, so there only "no 5xx" is asked.
          // encoded: the decoded value is the hostile one: 400 for a control character or a lone
          // surrogate anywhere, and for a % in a query parameter (none of the API has one)
          boolean decodedControl =
              rawValue
                  ? value.contains("%") && value.chars().allMatch(c -> c > 0x20 && c < 0x7f)
                  : control;
          boolean badEncoding = !rawValue && (surrogate || (query && value.contains("%")));
          fiveHundreds +=
              check(
                  failures,
                  a,
                  target[0] + " " + target[1].substring(0, Math.min(60, target[1].length())),
                  value,
                  !tooLong && value.length() < 4000 && (decodedControl || badEncoding));
        }
      }
    }
    long hostilePayments =
        system.count("select count(*) from payment_svc.payments") - paymentsBefore - created;
    System.out.printf(
        "hostile: %d requests, %d answered 5xx, %d accepted (201), %d payments by refused requests%n",
        sent, fiveHundreds, created, hostilePayments);
    assertThat(failures).as("hostile requests answered wrongly").isEmpty();
    assertThat(fiveHundreds).isZero();
    assertThat(hostilePayments).as("payments created by refused requests").isZero();
  }

  /** Counts a 5xx; records an answer that is not what the contract says. */
  private static int check(
      List<String> failures, RawHttp.Answer a, String where, String value, boolean must400) {
    String shown =
        value.length() > 12 ? value.substring(0, 12) + "…(" + value.length() + ")" : value;
    shown =
        shown
            .chars()
            .mapToObj(
                c ->
                    c < 0x20 || c == 0x7f || Character.isSurrogate((char) c)
                        ? String.format("\\u%04x", c)
                        : String.valueOf((char) c))
            .reduce("", String::concat);
    if (a.status() == 0 || a.status() >= 500) {
      failures.add(a.status() + " for " + where + " = " + shown + " -> " + a.body());
      return a.status() >= 500 ? 1 : 0;
    }
    if (a.status() >= 400 && !"application/problem+json".equals(a.contentType())) {
      failures.add("not problem JSON: " + a.status() + " for " + where + " = " + shown);
    }
    if (must400 && a.status() != 400) {
      failures.add("expected 400, got " + a.status() + " for " + where + " = " + shown);
    }
    return 0;
  }

  /** A valid request body for {@code path} with {@code value} at {@code pointer}, as JSON text. */
  private static String hostileBody(String path, String pointer, String value) {
    JsonObject body =
        path.equals("/api/orders")
            ? chickenOrder(GOOD_CARD)
            : path.startsWith("/api/orders/")
                ? new JsonObject()
                    .put(
                        "items",
                        new JsonArray()
                            .add(new JsonObject().put("menuId", "cola").put("quantity", 1)))
                : path.startsWith("/api/auth")
                    ? new JsonObject().put("username", "kim").put("password", "wrong")
                    : new JsonObject().put("reason", "x");
    String[] parts = pointer.substring(1).split("/");
    Object parent = body;
    for (int i = 0; i < parts.length - 1; i++) {
      parent =
          parent instanceof JsonObject o
              ? o.getValue(parts[i])
              : ((JsonArray) parent).getValue(Integer.parseInt(parts[i]));
    }
    ((JsonObject) parent).put(parts[parts.length - 1], "@@HOSTILE@@");
    return body.encode().replace("\"@@HOSTILE@@\"", jsonString(value));
  }

  /** A JSON string literal that keeps lone surrogates as \\uXXXX escapes. */
  private static String jsonString(String value) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }

  /** Percent-encodes every byte that is not unreserved; a lone surrogate as its (bad) UTF-8. */
  private static String percentEncode(String value) {
    StringBuilder out = new StringBuilder();
    for (char c : value.toCharArray()) {
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-') {
        out.append(c);
      } else if (Character.isSurrogate(c) && !value.codePoints().anyMatch(cp -> cp > 0xffff)) {
        // CESU-style bytes of a lone surrogate: not valid UTF-8
        out.append(
            String.format(
                "%%%02X%%%02X%%%02X",
                0xE0 | (c >> 12), 0x80 | ((c >> 6) & 0x3F), 0x80 | (c & 0x3F)));
      } else {
        for (byte b : String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
          out.append(String.format("%%%02X", b & 0xff));
        }
      }
    }
    return out.toString();
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
