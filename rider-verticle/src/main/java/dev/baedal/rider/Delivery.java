package dev.baedal.rider;

import dev.baedal.contract.Address;
import dev.baedal.contract.Districts;
import dev.baedal.contract.EventType;
import dev.baedal.contract.Reach;
import dev.baedal.contract.events.DeliveryAssigned;
import dev.baedal.contract.events.DeliveryDelivered;
import dev.baedal.contract.events.DeliveryOpened;
import dev.baedal.contract.events.DeliveryPickedUp;
import dev.baedal.contract.events.DeliveryRef;
import dev.baedal.contract.events.DeliveryWithdrawn;
import dev.baedal.contract.events.OrderRef;
import dev.baedal.contract.events.Payload;
import dev.baedal.contract.events.StoreCookingStarted;
import dev.baedal.platform.events.CloudEvent;
import dev.baedal.platform.events.Decision;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/**
 * A delivery: a pure state machine from opened to delivered (or withdrawn). Every change bumps
 * {@code version}; a transaction commits one version more than the one it read ({@link
 * #committedAfter}).
 *
 * @param deliveryAddress {@code {text, lat, lng, phone}}: only the assigned rider sees it
 */
record Delivery(
    UUID orderId,
    String storeId,
    String storeName,
    String storeNameKo,
    double storeLat,
    double storeLng,
    String customerId,
    Address deliveryAddress,
    boolean express,
    int fee,
    Status status,
    boolean cooked,
    String riderId,
    Instant openedAt,
    Instant updatedAt,
    long version) {

  enum Status {
    OPEN,
    ASSIGNED,
    PICKED_UP,
    DELIVERED,
    WITHDRAWN
  }

  static final String SOURCE = "/rider";

  /** The delivery a {@code store.cooking-started} event opens. */
  static Decision<Delivery> open(StoreCookingStarted cooking, Instant at) {
    OrderRef order = cooking.order();
    Delivery d =
        new Delivery(
            order.orderId(),
            order.storeId(),
            order.storeName(),
            order.storeNameKo(),
            cooking.storeLocation().lat(),
            cooking.storeLocation().lng(),
            order.customerId(),
            cooking.deliveryAddress(),
            cooking.express(),
            cooking.deliveryFee(),
            Status.OPEN,
            false,
            null,
            at,
            at,
            1);
    return Decision.of(
        d,
        d.event(
            new DeliveryOpened(d.ref(), cooking.storeLocation(), d.area(), d.express, d.fee), at));
  }

  /**
   * A rider on {@code trip} claims it. The repository makes "first one wins" atomic; this decides
   * whether the claim is allowed at all.
   */
  Decision<Delivery> claim(String rider, Reach reach, Reach.Trip trip, Instant now) {
    if (status == Status.ASSIGNED && !rider.equals(riderId)) {
      throw new DeliveryConflict("another rider claimed delivery " + orderId + " first");
    }
    if (status != Status.OPEN) {
      throw new DeliveryConflict("delivery " + orderId + " is already " + status);
    }
    if (!trip.reaches()) {
      throw new DeliveryConflict(reach.refusal(toJson(), trip));
    }
    return Decision.of(
        with(Status.ASSIGNED, cooked, rider, now),
        event(
            new DeliveryAssigned(
                ref(), rider, Math.round(trip.distanceKm() * 100) / 100.0, trip.etaMinutes(), fee),
            now));
  }

  Decision<Delivery> pickUp(String rider, Instant now) {
    requireRider(rider);
    if (status != Status.ASSIGNED) {
      throw new DeliveryConflict("delivery " + orderId + " is " + status + ", not ASSIGNED");
    }
    if (!cooked) {
      // the store may have finished cooking already, and this context not heard of it yet
      throw DeliveryConflict.underWay("the food for " + orderId + " is still cooking");
    }
    return Decision.of(
        with(Status.PICKED_UP, cooked, riderId, now),
        event(new DeliveryPickedUp(ref(), rider), now));
  }

  Decision<Delivery> deliver(String rider, Instant now) {
    requireRider(rider);
    if (status != Status.PICKED_UP) {
      throw new DeliveryConflict("delivery " + orderId + " is " + status + ", not PICKED_UP");
    }
    return Decision.of(
        with(Status.DELIVERED, cooked, riderId, now),
        event(new DeliveryDelivered(ref(), rider, fee), now));
  }

  /** What a store event means for this delivery; a type this context does not act on, nothing. */
  Decision<Delivery> on(CloudEvent event) {
    return switch (EventType.of(event)) {
      case STORE_COOKING_FINISHED -> Decision.of(onCooked(event.time()));
      case STORE_CANCEL_CONFIRMED -> withdraw("the order was cancelled", event.time());
      case ORDER_PLACED,
          ORDER_MODIFICATION_REQUESTED,
          ORDER_MODIFIED,
          ORDER_CANCEL_REQUESTED,
          ORDER_CANCELLED,
          ORDER_COMPLETED,
          PAYMENT_AUTHORIZED,
          PAYMENT_ADJUSTED,
          PAYMENT_REFUNDED,
          STORE_ORDER_ACCEPTED,
          STORE_ORDER_REJECTED,
          STORE_COOKING_STARTED,
          STORE_CANCEL_REFUSED,
          STORE_MODIFICATION_CONFIRMED,
          STORE_MODIFICATION_REFUSED,
          STORE_THANKS_SENT,
          DELIVERY_OPENED,
          DELIVERY_ASSIGNED,
          DELIVERY_PICKED_UP,
          DELIVERY_DELIVERED,
          DELIVERY_WITHDRAWN,
          CATALOG_STORE_UPDATED,
          NOTIFICATION_REQUESTED,
          NOTIFICATION_SENT,
          NOTIFICATION_FAILED ->
          Decision.unchanged(this);
    };
  }

  /** The food is ready: no event of its own (the store's {@code store.cooking-finished} is it). */
  Delivery onCooked(Instant at) {
    return cooked ? this : with(status, true, riderId, at);
  }

  /** The order was cancelled: an open or assigned delivery is withdrawn. */
  Decision<Delivery> withdraw(String reason, Instant at) {
    if (status != Status.OPEN && status != Status.ASSIGNED) {
      return Decision.unchanged(this);
    }
    return Decision.of(
        with(Status.WITHDRAWN, cooked, riderId, at),
        event(new DeliveryWithdrawn(ref(), reason, riderId), at));
  }

  /** Whether it is still on its way (for the rider's live "mine" snapshot). */
  boolean active() {
    return status == Status.ASSIGNED || status == Status.PICKED_UP;
  }

  /**
   * Everything about it: what its assigned rider sees (as {@code GET /api/rider/deliveries/mine}),
   * and what the rider WebSocket filters offers from. Others see only {@link Reach#offer}.
   */
  JsonObject toJson() {
    return new JsonObject()
        .put("orderId", orderId.toString())
        .put("storeId", storeId)
        .put("storeName", storeName)
        .put("storeNameKo", storeNameKo)
        .put("storeLocation", new JsonObject().put("lat", storeLat).put("lng", storeLng))
        .put("deliveryAddress", deliveryAddress.place())
        .put("deliveryArea", area())
        .put("customerPhone", deliveryAddress.phone())
        .put("express", express)
        .put("fee", fee)
        .put("status", status.name())
        .put("cooked", cooked)
        .put("riderId", riderId)
        .put("version", version);
  }

  private JsonObject area() {
    return Districts.area(deliveryAddress.lat(), deliveryAddress.lng());
  }

  private void requireRider(String rider) {
    if (riderId == null || !riderId.equals(rider)) {
      // not theirs: existence is not theirs to know
      throw new DeliveryNotFound(orderId);
    }
  }

  /**
   * This state as the one a transaction commits over {@code read}: one version more than that,
   * however many events of the transaction led here, so a live subscriber gets each committed
   * version and can tell a missed one by its gap.
   */
  Delivery committedAfter(Delivery read) {
    return version == read.version + 1
        ? this
        : copy(status, cooked, riderId, updatedAt, read.version + 1);
  }

  private Delivery with(Status s, boolean isCooked, String rider, Instant at) {
    return copy(s, isCooked, rider, at, version + 1);
  }

  private Delivery copy(Status s, boolean isCooked, String rider, Instant at, long newVersion) {
    return new Delivery(
        orderId,
        storeId,
        storeName,
        storeNameKo,
        storeLat,
        storeLng,
        customerId,
        deliveryAddress,
        express,
        fee,
        s,
        isCooked,
        rider,
        openedAt,
        at,
        newVersion);
  }

  private DeliveryRef ref() {
    return new DeliveryRef(orderId, storeId, customerId);
  }

  private CloudEvent event(Payload data, Instant at) {
    return data.event(SOURCE, orderId.toString(), at);
  }
}
