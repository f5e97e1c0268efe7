package dev.baedal.store;

import dev.baedal.contract.events.OrderModificationRequested;
import dev.baedal.contract.events.OrderRef;
import dev.baedal.contract.events.Payload;
import dev.baedal.contract.events.Point;
import dev.baedal.contract.events.StoreCancelConfirmed;
import dev.baedal.contract.events.StoreCancelRefused;
import dev.baedal.contract.events.StoreCookingFinished;
import dev.baedal.contract.events.StoreCookingStarted;
import dev.baedal.contract.events.StoreModificationConfirmed;
import dev.baedal.contract.events.StoreModificationRefused;
import dev.baedal.contract.events.StoreOrderAccepted;
import dev.baedal.contract.events.StoreOrderRejected;
import dev.baedal.contract.events.StoreThanksSent;
import dev.baedal.platform.events.CloudEvent;
import java.time.Instant;

/** The events of the store context; {@link StoreOrder}'s decisions say when. */
final class StoreEvents {
  static final String SOURCE = "/store";

  private StoreEvents() {}

  static CloudEvent accepted(StoreOrder order, Instant at) {
    return event(order, new StoreOrderAccepted(ref(order)), at);
  }

  /** {@code store.order-rejected}, with the reason and the total to refund. */
  static CloudEvent rejected(StoreOrder order, String reason, Instant at) {
    return event(order, new StoreOrderRejected(ref(order), reason, order.total()), at);
  }

  /** {@code store.cooking-started}, with what a rider needs to open the delivery. */
  static CloudEvent cookingStarted(StoreOrder order, Point storeLocation, Instant at) {
    return event(
        order,
        new StoreCookingStarted(
            ref(order),
            storeLocation,
            order.deliveryAddress(),
            order.express(),
            order.deliveryFee()),
        at);
  }

  static CloudEvent cookingFinished(StoreOrder order, Instant at) {
    return event(order, new StoreCookingFinished(ref(order)), at);
  }

  /** {@code store.cancel-confirmed}, with the total to refund. */
  static CloudEvent cancelConfirmed(StoreOrder order, Instant at) {
    return event(order, new StoreCancelConfirmed(ref(order), order.total()), at);
  }

  static CloudEvent cancelRefused(StoreOrder order, String reason, Instant at) {
    return event(order, new StoreCancelRefused(ref(order), reason), at);
  }

  /** {@code store.modification-confirmed}: {@code changed} has the new items and total. */
  static CloudEvent modificationConfirmed(
      StoreOrder changed, OrderModificationRequested asked, Instant at) {
    return event(
        changed,
        new StoreModificationConfirmed(
            ref(changed), asked.modificationId(), asked.delta(), changed.items(), changed.total()),
        at);
  }

  static CloudEvent modificationRefused(
      StoreOrder order, OrderModificationRequested asked, String reason, Instant at) {
    return event(
        order,
        new StoreModificationRefused(ref(order), asked.modificationId(), asked.delta(), reason),
        at);
  }

  /** {@code store.thanks-sent}, with the store's message to the customer. */
  static CloudEvent thanksSent(StoreOrder order, Instant at) {
    String name = order.storeName();
    return event(
        order,
        new StoreThanksSent(
            ref(order), name + " 이용해 주셔서 감사합니다! Thank you for ordering from " + name + "!"),
        at);
  }

  private static OrderRef ref(StoreOrder order) {
    return new OrderRef(
        order.orderId(),
        order.customerId(),
        order.storeId(),
        order.storeName(),
        order.storeNameKo());
  }

  private static CloudEvent event(StoreOrder order, Payload data, Instant at) {
    return data.event(SOURCE, order.orderId().toString(), at);
  }
}
