package dev.baedal.order;

import dev.baedal.platform.http.ProblemException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A customer's {@code POST /api/orders} body, checked field by field. Anything wrong is a 400 whose
 * detail names the field.
 */
record OrderRequest(
    String storeId, List<Line> items, Address deliveryAddress, boolean express, String cardNumber) {

  static final int MAX_LINES = 50;

  record Line(String menuId, int quantity) {}

  /** Where to deliver; {@code phone} is the contact for the rider and the notifications. */
  record Address(String text, double lat, double lng, String phone) {}

  static OrderRequest parse(JsonObject body) {
    if (body == null) {
      throw ProblemException.badRequest("the request body must be a JSON object");
    }
    String storeId = text(body, "storeId", 64);
    List<Line> lines = lines(body.getValue("items"), "items");
    Object addr = body.getValue("deliveryAddress");
    if (!(addr instanceof JsonObject a)) {
      throw ProblemException.badRequest("deliveryAddress must be an object {text, lat, lng}");
    }
    Address address =
        new Address(
            text(a, "deliveryAddress.text", "text", 300),
            number(a, "deliveryAddress.lat", "lat", -90, 90),
            number(a, "deliveryAddress.lng", "lng", -180, 180),
            optionalPhone(a));
    Object express = body.getValue("express", false);
    if (!(express instanceof Boolean)) {
      throw ProblemException.badRequest("express must be true or false");
    }
    Object pay = body.getValue("payment");
    if (!(pay instanceof JsonObject p)) {
      throw ProblemException.badRequest("payment must be an object {method, cardNumber}");
    }
    if (!"CARD".equals(p.getValue("method"))) {
      throw ProblemException.badRequest("payment.method must be \"CARD\"");
    }
    Object card = p.getValue("cardNumber");
    if (!(card instanceof String c) || !c.matches("\\d{16}") || !luhn(c)) {
      throw ProblemException.badRequest(
          "payment.cardNumber must be 16 digits that pass the Luhn check");
    }
    return new OrderRequest(storeId, lines, address, (Boolean) express, c);
  }

  /** Parses the {@code items} of an order or of a modification. */
  static List<Line> lines(Object value, String field) {
    if (!(value instanceof JsonArray items) || items.isEmpty()) {
      throw ProblemException.badRequest(field + " must be a non-empty array");
    }
    if (items.size() > MAX_LINES) {
      throw ProblemException.badRequest(field + " has more than " + MAX_LINES + " lines");
    }
    List<Line> lines = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      String at = field + "[" + i + "]";
      if (!(items.getValue(i) instanceof JsonObject item)) {
        throw ProblemException.badRequest(at + " must be an object {menuId, quantity}");
      }
      String menuId = text(item, at + ".menuId", "menuId", 64);
      Object q = item.getValue("quantity");
      if (!isInteger(q)) {
        throw ProblemException.badRequest(at + ".quantity must be an integer from 1 to 99");
      }
      BigInteger quantity = new BigInteger(q.toString());
      if (quantity.compareTo(BigInteger.ONE) < 0
          || quantity.compareTo(BigInteger.valueOf(99)) > 0) {
        throw ProblemException.badRequest(at + ".quantity must be an integer from 1 to 99");
      }
      lines.add(new Line(menuId, quantity.intValue()));
    }
    return List.copyOf(lines);
  }

  /** A digest of the request, to tell a true retry from a reuse of the key for another order. */
  String fingerprint() {
    JsonArray items = new JsonArray();
    items().forEach(l -> items.add(new JsonArray().add(l.menuId()).add(l.quantity())));
    String canonical =
        new JsonArray()
            .add(storeId)
            .add(items)
            .add(deliveryAddress.text())
            .add(deliveryAddress.lat())
            .add(deliveryAddress.lng())
            .add(express)
            .add(cardNumber)
            .encode();
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** This request, with the account's phone as the contact when the request named none. */
  OrderRequest withContactPhone(String accountPhone) {
    if (deliveryAddress.phone() != null || accountPhone == null) {
      return this;
    }
    Address a = deliveryAddress;
    return new OrderRequest(
        storeId, items, new Address(a.text(), a.lat(), a.lng(), accountPhone), express, cardNumber);
  }

  JsonObject addressJson() {
    return new JsonObject()
        .put("text", deliveryAddress.text())
        .put("lat", deliveryAddress.lat())
        .put("lng", deliveryAddress.lng())
        .put("phone", deliveryAddress.phone());
  }

  private static String optionalPhone(JsonObject address) {
    Object v = address.getValue("phone");
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s) || !s.matches("[0-9+\\- ]{3,20}")) {
      throw ProblemException.badRequest("deliveryAddress.phone must be a phone number");
    }
    return s;
  }

  static boolean luhn(String digits) {
    int sum = 0;
    boolean twice = false;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (twice) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      twice = !twice;
    }
    return sum % 10 == 0;
  }

  private static boolean isInteger(Object v) {
    return v instanceof Integer || v instanceof Long || v instanceof BigInteger;
  }

  private static String text(JsonObject json, String field, int max) {
    return text(json, field, field, max);
  }

  private static String text(JsonObject json, String field, String key, int max) {
    Object v = json.getValue(key);
    if (!(v instanceof String s) || s.isBlank()) {
      throw ProblemException.badRequest(field + " must be a non-empty string");
    }
    if (s.length() > max) {
      throw ProblemException.badRequest(field + " is longer than " + max + " characters");
    }
    return s;
  }

  private static double number(JsonObject json, String field, String key, double min, double max) {
    Object v = json.getValue(key);
    if (!(v instanceof Number n)) {
      throw ProblemException.badRequest(field + " must be a number");
    }
    double d = n.doubleValue();
    if (!Double.isFinite(d) || d < min || d > max) {
      throw ProblemException.badRequest(field + " must be between " + min + " and " + max);
    }
    return d;
  }
}
