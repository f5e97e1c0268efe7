package dev.baedal.order;

import dev.baedal.contract.Item;
import java.util.List;

/**
 * The price of an order before it exists: what the payment must authorize.
 *
 * @param storeNameKo the store's Korean name (may be null)
 */
record Quote(
    String storeName, String storeNameKo, List<Item> lines, int subtotal, int deliveryFee) {

  /** The delivery fees in force. */
  record Fees(int delivery, int express) {
    int of(boolean isExpress) {
      return delivery + (isExpress ? express : 0);
    }
  }

  static Quote of(String storeName, List<Item> lines, boolean express, Fees fees) {
    return of(storeName, null, lines, express, fees);
  }

  static Quote of(
      String storeName, String storeNameKo, List<Item> lines, boolean express, Fees fees) {
    int subtotal = lines.stream().mapToInt(Item::amount).sum();
    return new Quote(storeName, storeNameKo, List.copyOf(lines), subtotal, fees.of(express));
  }

  int total() {
    return subtotal + deliveryFee;
  }
}
