package dev.baedal.order;

import dev.baedal.contract.Address;
import dev.baedal.platform.http.ProblemException;
import dev.baedal.platform.http.Violation;
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
 * A customer's {@code POST /api/orders} body, checked field by field. Everything wrong is one 400
 * whose {@code errors} name each field by its JSON Pointer (contract section 2), as the gateway's
 * check against the OpenAPI document does: the event bus is an API too.
 */
record OrderRequest(
    String storeId, List<Line> items, Address deliveryAddress, boolean express, JsonObject card) {

  static final int MAX_LINES = 50;

  record Line(String menuId, int quantity) {}

  static OrderRequest parse(JsonObject body) {
    if (body == null) {
      throw ProblemException.invalid(Violation.pointer("", Violation.AN_OBJECT));
    }
    List<Violation> found = new ArrayList<>();
    String storeId = text(body, "", "storeId", 64, found);
    List<Line> lines = lines(body.getValue("items"), "items", found);
    Address address = null;
    Object addr = body.getValue("deliveryAddress");
    if (!(addr instanceof JsonObject a)) {
      found.add(
          Violation.pointer(
              "/deliveryAddress", addr == null ? Violation.REQUIRED : Violation.AN_OBJECT));
    } else {
      String at = "/deliveryAddress";
      address =
          new Address(
              text(a, at, "text", 300, found),
              number(a, at, "lat", -90, 90, found),
              number(a, at, "lng", -180, 180, found),
              optionalPhone(a, found));
    }
    Object express = body.getValue("express", false);
    if (!(express instanceof Boolean)) {
      found.add(Violation.pointer("/express", Violation.A_BOOLEAN));
    }
    JsonObject card = null;
    Object pay = body.getValue("payment");
    if (!(pay instanceof JsonObject p)) {
      found.add(
          Violation.pointer("/payment", pay == null ? Violation.REQUIRED : Violation.AN_OBJECT));
    } else {
      if (p.getValue("method") == null) {
        found.add(Violation.pointer("/payment/method", Violation.REQUIRED));
      } else if (!"CARD".equals(p.getValue("method"))) {
        found.add(Violation.pointer("/payment/method", Violation.oneOf(List.of("CARD"))));
      }
      // the gateway sealed the number (CardSeal): only the payment context can open it
      Object c = p.getValue("card");
      if (p.getValue("cardNumber") != null) {
        found.add(Violation.pointer("/payment/cardNumber", Violation.A_CARD));
      } else if (!(c instanceof JsonObject sealed)
          || !(sealed.getValue("sealed") instanceof String)
          || !(sealed.getValue("last4") instanceof String)
          || !(sealed.getValue("fingerprint") instanceof String)) {
        found.add(Violation.pointer("/payment/cardNumber", Violation.REQUIRED));
      } else {
        card = sealed;
      }
    }
    if (!found.isEmpty()) {
      throw ProblemException.invalid(found);
    }
    return new OrderRequest(storeId, lines, address, (Boolean) express, card);
  }

  /** Parses the {@code items} of an order or of a modification (the body's field {@code field}). */
  static List<Line> lines(Object value, String field) {
    List<Violation> found = new ArrayList<>();
    List<Line> lines = lines(value, field, found);
    if (!found.isEmpty()) {
      throw ProblemException.invalid(found);
    }
    return lines;
  }

  private static List<Line> lines(Object value, String field, List<Violation> found) {
    String at = "/" + field;
    if (!(value instanceof JsonArray items)) {
      found.add(Violation.pointer(at, value == null ? Violation.REQUIRED : Violation.AN_ARRAY));
      return List.of();
    }
    if (items.isEmpty()) {
      found.add(Violation.pointer(at, Violation.NOT_EMPTY));
      return List.of();
    }
    if (items.size() > MAX_LINES) {
      found.add(Violation.pointer(at, Violation.mostEntries(MAX_LINES)));
      return List.of();
    }
    List<Line> lines = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      String line = Violation.child(at, i);
      if (!(items.getValue(i) instanceof JsonObject item)) {
        found.add(Violation.pointer(line, Violation.AN_OBJECT));
        continue;
      }
      String menuId = text(item, line, "menuId", 64, found);
      Object q = item.getValue("quantity");
      String quantityAt = Violation.child(line, "quantity");
      if (q == null) {
        found.add(Violation.pointer(quantityAt, Violation.REQUIRED));
      } else if (!isInteger(q)) {
        found.add(Violation.pointer(quantityAt, Violation.AN_INTEGER));
      } else {
        BigInteger quantity = new BigInteger(q.toString());
        if (quantity.compareTo(BigInteger.ONE) < 0
            || quantity.compareTo(BigInteger.valueOf(99)) > 0) {
          found.add(Violation.pointer(quantityAt, Violation.between(1, 99)));
        } else if (menuId != null) {
          lines.add(new Line(menuId, quantity.intValue()));
        }
      }
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
            .add(card.getString("fingerprint"))
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
    return new OrderRequest(storeId, items, deliveryAddress.withPhone(accountPhone), express, card);
  }

  private static String optionalPhone(JsonObject address, List<Violation> found) {
    Object v = address.getValue("phone");
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s) || !s.matches("[0-9+\\- ]{3,20}")) {
      found.add(Violation.pointer("/deliveryAddress/phone", Violation.A_PHONE));
      return null;
    }
    return s;
  }

  private static boolean isInteger(Object v) {
    return v instanceof Integer || v instanceof Long || v instanceof BigInteger;
  }

  /** The non-blank string {@code key} of the object at {@code at}, or null (and why in found). */
  private static String text(
      JsonObject json, String at, String key, int max, List<Violation> found) {
    Object v = json.getValue(key);
    String pointer = Violation.child(at, key);
    if (v == null) {
      found.add(Violation.pointer(pointer, Violation.REQUIRED));
      return null;
    }
    if (!(v instanceof String s)) {
      found.add(Violation.pointer(pointer, Violation.A_STRING));
      return null;
    }
    if (s.isBlank()) {
      found.add(
          Violation.pointer(pointer, s.isEmpty() ? Violation.NOT_EMPTY : Violation.NOT_BLANK));
      return null;
    }
    if (s.length() > max) {
      found.add(Violation.pointer(pointer, Violation.longest(max)));
      return null;
    }
    return s;
  }

  /** The number {@code key} of the object at {@code at}, within bounds, or 0 (and why in found). */
  private static double number(
      JsonObject json, String at, String key, double min, double max, List<Violation> found) {
    Object v = json.getValue(key);
    String pointer = Violation.child(at, key);
    if (v == null) {
      found.add(Violation.pointer(pointer, Violation.REQUIRED));
      return 0;
    }
    if (!(v instanceof Number n)) {
      found.add(Violation.pointer(pointer, Violation.A_NUMBER));
      return 0;
    }
    double d = n.doubleValue();
    if (!Double.isFinite(d) || d < min || d > max) {
      found.add(Violation.pointer(pointer, Violation.between(min, max)));
      return 0;
    }
    return d;
  }
}
