package dev.baedal.order;

import java.util.List;

/**
 * The price of an order before it exists: what the payment must authorize.
 *
 * @param storeNameKo the store's Korean name (may be null)
 */
record Quote(
    String storeName, String storeNameKo, List<PricedLine> lines, int subtotal, int deliveryFee) {

  /** A catalogue line the order is priced from; {@code nameKo} may be null. */
  record PricedLine(String menuId, String name, String nameKo, int quantity, int price) {
    PricedLine(String menuId, String name, int quantity, int price) {
      this(menuId, name, null, quantity, price);
    }

    int amount() {
      return quantity * price;
    }
  }

  /** The delivery fees in force. */
  record Fees(int delivery, int express) {
    int of(boolean isExpress) {
      return delivery + (isExpress ? express : 0);
    }
  }

  static Quote of(String storeName, List<PricedLine> lines, boolean express, Fees fees) {
    return of(storeName, null, lines, express, fees);
  }

  static Quote of(
      String storeName, String storeNameKo, List<PricedLine> lines, boolean express, Fees fees) {
    int subtotal = lines.stream().mapToInt(PricedLine::amount).sum();
    return new Quote(storeName, storeNameKo, List.copyOf(lines), subtotal, fees.of(express));
  }

  int total() {
    return subtotal + deliveryFee;
  }
}
