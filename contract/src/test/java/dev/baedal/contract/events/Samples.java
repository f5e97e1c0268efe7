package dev.baedal.contract.events;

import dev.baedal.contract.Address;
import dev.baedal.contract.EventType;
import dev.baedal.contract.Item;
import dev.baedal.platform.events.CloudEvent;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A complete payload of every event type, about one order: what the tests feed consumers. */
public final class Samples {
  public static final Instant T0 = Instant.parse("2026-11-29T12:00:00Z");
  public static final Item CHICKEN =
      new Item("chicken-fried", "Fried Chicken", "후라이드 치킨", 1, 18000);
  public static final Item COLA = new Item("cola", "Cola", null, 2, 2500);

  private Samples() {}

  public static OrderRef ref(UUID orderId) {
    return new OrderRef(orderId, "kim", "store-1", "Hanok Chicken", "한옥치킨");
  }

  public static OrderPlaced placed(UUID orderId) {
    return new OrderPlaced(
        ref(orderId),
        List.of(CHICKEN),
        18000,
        2000,
        20000,
        false,
        new Address("서울 강남구 테헤란로 152", 37.5006, 127.0364, "010-1234-5678"),
        UUID.nameUUIDFromBytes(("payment-" + orderId).getBytes()),
        T0);
  }

  /** The sample of {@code type} about each of {@code orderIds}, as events at T0, in that order. */
  public static List<CloudEvent> events(EventType type, List<UUID> orderIds) {
    return orderIds.stream().map(id -> of(type, id).event("/test", id.toString(), T0)).toList();
  }

  /** The sample of {@code type} about {@code orderId}. */
  public static Payload of(EventType type, UUID orderId) {
    OrderRef order = ref(orderId);
    DeliveryRef delivery = new DeliveryRef(orderId, "store-1", "kim");
    UUID payment = UUID.nameUUIDFromBytes(("payment-" + orderId).getBytes());
    UUID notification = UUID.nameUUIDFromBytes(("notification-" + orderId).getBytes());
    Point store = new Point(37.4979, 127.0276);
    return switch (type) {
      case ORDER_PLACED -> placed(orderId);
      case ORDER_MODIFICATION_REQUESTED ->
          new OrderModificationRequested(
              order, 20000, "m-1", List.of(COLA), 5000, 7000, -13000, T0.plusSeconds(20));
      case ORDER_MODIFIED ->
          new OrderModified(order, "m-1", List.of(COLA), 5000, 7000, 20000, -13000);
      case ORDER_CANCEL_REQUESTED -> new OrderCancelRequested(order, "ACCEPTED");
      case ORDER_CANCELLED -> new OrderCancelled(order, 20000);
      case ORDER_COMPLETED -> new OrderCompleted(order, 20000);
      case PAYMENT_AUTHORIZED -> new PaymentAuthorized(orderId, payment, "kim", 20000);
      case PAYMENT_ADJUSTED -> new PaymentAdjusted(orderId, payment, "kim", "m-2", 2500, 22500);
      case PAYMENT_REFUNDED ->
          new PaymentRefunded(
              orderId,
              payment,
              UUID.nameUUIDFromBytes(("refund-" + orderId).getBytes()),
              20000,
              20000,
              "the order was cancelled");
      case STORE_ORDER_ACCEPTED -> new StoreOrderAccepted(order);
      case STORE_ORDER_REJECTED -> new StoreOrderRejected(order, "sold out", 20000);
      case STORE_COOKING_STARTED ->
          new StoreCookingStarted(order, store, placed(orderId).deliveryAddress(), false, 2000);
      case STORE_COOKING_FINISHED -> new StoreCookingFinished(order);
      case STORE_CANCEL_CONFIRMED -> new StoreCancelConfirmed(order, 20000);
      case STORE_CANCEL_REFUSED -> new StoreCancelRefused(order, "cooking has started");
      case STORE_MODIFICATION_CONFIRMED ->
          new StoreModificationConfirmed(order, "m-1", -13000, List.of(COLA), 7000);
      case STORE_MODIFICATION_REFUSED ->
          new StoreModificationRefused(order, "m-1", -13000, "cooking has started");
      case STORE_THANKS_SENT -> new StoreThanksSent(order, "Thank you for ordering!");
      case DELIVERY_OPENED ->
          new DeliveryOpened(
              delivery,
              store,
              new JsonObject().put("text", "강남구 Gangnam-gu").put("lat", 37.5).put("lng", 127.04),
              false,
              3000);
      case DELIVERY_ASSIGNED -> new DeliveryAssigned(delivery, "rider-1", 1.25, 9, 3000);
      case DELIVERY_PICKED_UP -> new DeliveryPickedUp(delivery, "rider-1");
      case DELIVERY_DELIVERED -> new DeliveryDelivered(delivery, "rider-1", 3000);
      case DELIVERY_WITHDRAWN -> new DeliveryWithdrawn(delivery, "the order was cancelled", null);
      case CATALOG_STORE_UPDATED ->
          new CatalogStoreUpdated(
              "store-1",
              "Hanok Chicken",
              "한옥치킨",
              store,
              true,
              List.of(new CatalogStoreUpdated.Dish("chicken-fried", "Fried Chicken", null, 18000)));
      case NOTIFICATION_REQUESTED ->
          new NotificationRequested(
              notification,
              orderId,
              "kim",
              "010-1234-5678",
              "order_accepted",
              "[배달] 주문이 접수되었습니다\n[Baedal] Your order was accepted",
              "[배달] 주문이 접수되었습니다",
              "[Baedal] Your order was accepted",
              List.of(
                  new NotificationRequested.Button(
                      "주문 보기 View order",
                      "http://127.0.0.1:8080/customer.html#/order/" + orderId)));
      case NOTIFICATION_SENT ->
          new NotificationReceipt(
              notification,
              orderId.toString(),
              "kim",
              "order_accepted",
              "kakao",
              "sent",
              T0.plusSeconds(5),
              1,
              null);
      case NOTIFICATION_FAILED ->
          new NotificationReceipt(
              notification,
              orderId.toString(),
              "kim",
              "order_accepted",
              "kakao",
              "failed",
              T0.plusSeconds(5),
              3,
              "HTTP 500");
    };
  }
}
