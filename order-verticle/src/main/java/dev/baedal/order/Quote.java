package dev.baedal.order;

import dev.baedal.contract.Item;
import dev.baedal.contract.Won;
import java.util.List;

/**
 * The price of an order before it exists: what the payment must authorize.
 *
 * @param storeNameKo the store's Korean name (may be null)
 */
record Quote(
    String storeName, String storeNameKo, List<Item> lines, Won subtotal, Won deliveryFee) {

  /** The delivery fees in force. */
  record Fees(Won delivery, Won express) {
    Won of(boolean isExpress) {
      return isExpress ? delivery.plus(express) : delivery;
    }
  }

  static Quote of(String storeName, List<Item> lines, boolean express, Fees fees) {
    return of(storeName, null, lines, express, fees);
  }

  static Quote of(
      String storeName, String storeNameKo, List<Item> lines, boolean express, Fees fees) {
    Won subtotal = lines.stream().map(Item::amount).reduce(Won.ZERO, Won::plus);
    return new Quote(storeName, storeNameKo, List.copyOf(lines), subtotal, fees.of(express));
  }

  Won total() {
    return subtotal.plus(deliveryFee);
  }

  /** What this costs over {@code total}, an order's total now (negative: less). */
  Won over(Won total) {
    return total().minus(total);
  }
}
