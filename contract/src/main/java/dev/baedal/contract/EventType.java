package dev.baedal.contract;

import dev.baedal.contract.events.CatalogStoreUpdated;
import dev.baedal.contract.events.DeliveryAssigned;
import dev.baedal.contract.events.DeliveryDelivered;
import dev.baedal.contract.events.DeliveryOpened;
import dev.baedal.contract.events.DeliveryPickedUp;
import dev.baedal.contract.events.DeliveryWithdrawn;
import dev.baedal.contract.events.NotificationReceipt;
import dev.baedal.contract.events.NotificationRequested;
import dev.baedal.contract.events.OrderCancelRequested;
import dev.baedal.contract.events.OrderCancelled;
import dev.baedal.contract.events.OrderCompleted;
import dev.baedal.contract.events.OrderModificationRequested;
import dev.baedal.contract.events.OrderModified;
import dev.baedal.contract.events.OrderPlaced;
import dev.baedal.contract.events.Payload;
import dev.baedal.contract.events.PaymentAdjusted;
import dev.baedal.contract.events.PaymentAuthorized;
import dev.baedal.contract.events.PaymentRefunded;
import dev.baedal.contract.events.StoreCancelConfirmed;
import dev.baedal.contract.events.StoreCancelRefused;
import dev.baedal.contract.events.StoreCookingFinished;
import dev.baedal.contract.events.StoreCookingStarted;
import dev.baedal.contract.events.StoreModificationConfirmed;
import dev.baedal.contract.events.StoreModificationRefused;
import dev.baedal.contract.events.StoreOrderAccepted;
import dev.baedal.contract.events.StoreOrderRejected;
import dev.baedal.contract.events.StoreThanksSent;
import dev.baedal.platform.Topics;
import dev.baedal.platform.events.CloudEvent;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every event type of the published language (docs/api.md, "Kafka topics and events"), declared
 * once: its wire name (the CloudEvent {@code type}, never to be changed), the topic it travels on
 * and its typed data (a {@link Payload} record of {@code dev.baedal.contract.events}).
 *
 * <p>Consumers dispatch with a {@code switch} expression over this enum that names every constant
 * and has no {@code default}: a type added here does not compile until each consumer has said what
 * it does with it. A type read off Kafka that is not declared here is never dispatched: the
 * consumer counts it, logs it once and passes it over ({@code IdempotentConsumer}).
 */
public enum EventType {
  ORDER_PLACED("order.placed", Topics.ORDER_EVENTS, OrderPlaced::of),
  ORDER_MODIFICATION_REQUESTED(
      "order.modification-requested", Topics.ORDER_EVENTS, OrderModificationRequested::of),
  ORDER_MODIFIED("order.modified", Topics.ORDER_EVENTS, OrderModified::of),
  ORDER_CANCEL_REQUESTED("order.cancel-requested", Topics.ORDER_EVENTS, OrderCancelRequested::of),
  ORDER_CANCELLED("order.cancelled", Topics.ORDER_EVENTS, OrderCancelled::of),
  ORDER_COMPLETED("order.completed", Topics.ORDER_EVENTS, OrderCompleted::of),

  PAYMENT_AUTHORIZED("payment.authorized", Topics.PAYMENT_EVENTS, PaymentAuthorized::of),
  PAYMENT_ADJUSTED("payment.adjusted", Topics.PAYMENT_EVENTS, PaymentAdjusted::of),
  PAYMENT_REFUNDED("payment.refunded", Topics.PAYMENT_EVENTS, PaymentRefunded::of),

  STORE_ORDER_ACCEPTED("store.order-accepted", Topics.STORE_EVENTS, StoreOrderAccepted::of),
  STORE_ORDER_REJECTED("store.order-rejected", Topics.STORE_EVENTS, StoreOrderRejected::of),
  STORE_COOKING_STARTED("store.cooking-started", Topics.STORE_EVENTS, StoreCookingStarted::of),
  STORE_COOKING_FINISHED("store.cooking-finished", Topics.STORE_EVENTS, StoreCookingFinished::of),
  STORE_CANCEL_CONFIRMED("store.cancel-confirmed", Topics.STORE_EVENTS, StoreCancelConfirmed::of),
  STORE_CANCEL_REFUSED("store.cancel-refused", Topics.STORE_EVENTS, StoreCancelRefused::of),
  STORE_MODIFICATION_CONFIRMED(
      "store.modification-confirmed", Topics.STORE_EVENTS, StoreModificationConfirmed::of),
  STORE_MODIFICATION_REFUSED(
      "store.modification-refused", Topics.STORE_EVENTS, StoreModificationRefused::of),
  STORE_THANKS_SENT("store.thanks-sent", Topics.STORE_EVENTS, StoreThanksSent::of),

  DELIVERY_OPENED("delivery.opened", Topics.DELIVERY_EVENTS, DeliveryOpened::of),
  DELIVERY_ASSIGNED("delivery.assigned", Topics.DELIVERY_EVENTS, DeliveryAssigned::of),
  DELIVERY_PICKED_UP("delivery.picked-up", Topics.DELIVERY_EVENTS, DeliveryPickedUp::of),
  DELIVERY_DELIVERED("delivery.delivered", Topics.DELIVERY_EVENTS, DeliveryDelivered::of),
  DELIVERY_WITHDRAWN("delivery.withdrawn", Topics.DELIVERY_EVENTS, DeliveryWithdrawn::of),

  CATALOG_STORE_UPDATED("catalog.store-updated", Topics.CATALOG, CatalogStoreUpdated::of),

  NOTIFICATION_REQUESTED(
      "notification.requested", Topics.NOTIFICATION_REQUESTS, NotificationRequested::of),
  NOTIFICATION_SENT("notification.sent", Topics.NOTIFICATION_RECEIPTS, NotificationReceipt::of),
  NOTIFICATION_FAILED("notification.failed", Topics.NOTIFICATION_RECEIPTS, NotificationReceipt::of);

  private static final Map<String, EventType> BY_WIRE =
      Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(t -> t.wire, t -> t));

  /** The wire name of every declared type: what a consumer knows, handled or not. */
  public static final Set<String> KNOWN = BY_WIRE.keySet();

  private final String wire;
  private final String topic;
  private final Function<JsonObject, ? extends Payload> payload;

  EventType(String wire, String topic, Function<JsonObject, ? extends Payload> payload) {
    this.wire = wire;
    this.topic = topic;
    this.payload = payload;
  }

  /** The CloudEvent {@code type}, e.g. {@code order.placed}. */
  public String wire() {
    return wire;
  }

  /** The topic (unqualified, see {@link Topics#qualified}) that carries it. */
  public String topic() {
    return topic;
  }

  /**
   * The typed data of an event of this type.
   *
   * @throws IllegalArgumentException if a required field is missing or mistyped
   */
  public Payload payload(JsonObject data) {
    return payload.apply(data);
  }

  @Override
  public String toString() {
    return wire;
  }

  /** Whether {@code event} is of this type. */
  public boolean is(CloudEvent event) {
    return wire.equals(event.type());
  }

  /** The declared type of that wire name, if there is one. */
  public static Optional<EventType> find(String wire) {
    return Optional.ofNullable(BY_WIRE.get(wire));
  }

  /**
   * The type of an event a consumer was handed. Consumers are handed only the types they name
   * (which are declared), so an undeclared one here is a bug, not a record from a newer producer.
   *
   * @throws IllegalArgumentException for a type that is not declared
   */
  public static EventType of(CloudEvent event) {
    EventType t = BY_WIRE.get(event.type());
    if (t == null) {
      throw new IllegalArgumentException("undeclared event type " + event.type());
    }
    return t;
  }

  /** The wire names of {@code types}: what a consumer is told it handles. */
  public static Set<String> wires(Collection<EventType> types) {
    return types.stream().map(EventType::wire).collect(Collectors.toUnmodifiableSet());
  }

  /** The wire names of these types. */
  public static Set<String> wires(EventType first, EventType... rest) {
    return wires(EnumSet.of(first, rest));
  }

  /** The topics that carry {@code types}. */
  public static Set<String> topics(Collection<EventType> types) {
    return types.stream().map(EventType::topic).collect(Collectors.toUnmodifiableSet());
  }
}
