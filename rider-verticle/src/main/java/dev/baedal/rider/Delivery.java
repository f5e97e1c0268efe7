package dev.baedal.rider;

import dev.baedal.platform.events.CloudEvent;
import dev.baedal.platform.events.Decision;
import dev.baedal.platform.http.ProblemException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/** A delivery: a pure state machine from opened to delivered (or withdrawn). */
record Delivery(
    UUID orderId,
    String storeId,
    String storeName,
    double storeLat,
    double storeLng,
    String customerId,
    JsonObject deliveryAddress,
    boolean express,
    int fee,
    Status status,
    boolean cooked,
    String riderId,
    Instant openedAt,
    Instant updatedAt) {

  enum Status {
    OPEN,
    ASSIGNED,
    PICKED_UP,
    DELIVERED,
    WITHDRAWN
  }

  static final String SOURCE = "/rider";

  /** The delivery a {@code store.cooking-started} event opens. */
  static Decision<Delivery> open(JsonObject cooking, Instant at) {
    JsonObject loc = cooking.getJsonObject("storeLocation");
    Delivery d =
        new Delivery(
            UUID.fromString(cooking.getString("orderId")),
            cooking.getString("storeId"),
            cooking.getString("storeName"),
            loc.getDouble("lat"),
            loc.getDouble("lng"),
            cooking.getString("customerId"),
            cooking.getJsonObject("deliveryAddress"),
            cooking.getBoolean("express"),
            cooking.getInteger("deliveryFee"),
            Status.OPEN,
            false,
            null,
            at,
            at);
    return Decision.of(
        d,
        d.event(
            "delivery.opened",
            d.base()
                .put("storeLocation", loc.copy())
                .put("deliveryAddress", d.deliveryAddress.copy())
                .put("express", d.express)
                .put("fee", d.fee)));
  }

  /**
   * A rider at {@code km} from the store claims it. The repository makes "first one wins" atomic;
   * this decides whether the claim is allowed at all.
   */
  Decision<Delivery> claim(String rider, double km, Geo geo) {
    if (status != Status.OPEN) {
      throw ProblemException.conflict("delivery " + orderId + " is already " + status);
    }
    if (!geo.reaches(km, express)) {
      throw ProblemException.conflict(
          express
              ? String.format(
                  "an express delivery needs a rider within %d minutes of the store; you are %.0f",
                  geo.expressEtaMinutes(), geo.etaMinutes(km))
              : String.format(
                  "this delivery is for riders within %.1f km of the store; you are %.1f km away",
                  geo.radiusKm(), km));
    }
    Delivery next = with(Status.ASSIGNED, cooked, rider);
    return Decision.of(
        next,
        event(
            "delivery.assigned",
            base()
                .put("riderId", rider)
                .put("distanceKm", round(km))
                .put("etaMinutes", (int) Math.ceil(geo.etaMinutes(km)))
                .put("fee", fee)));
  }

  Decision<Delivery> pickUp(String rider) {
    requireRider(rider);
    if (status != Status.ASSIGNED) {
      throw ProblemException.conflict("delivery " + orderId + " is " + status + ", not ASSIGNED");
    }
    if (!cooked) {
      throw ProblemException.conflict("the food for " + orderId + " is still cooking");
    }
    return Decision.of(
        with(Status.PICKED_UP, cooked, riderId),
        event("delivery.picked-up", base().put("riderId", rider)));
  }

  Decision<Delivery> deliver(String rider) {
    requireRider(rider);
    if (status != Status.PICKED_UP) {
      throw ProblemException.conflict("delivery " + orderId + " is " + status + ", not PICKED_UP");
    }
    return Decision.of(
        with(Status.DELIVERED, cooked, riderId),
        event("delivery.delivered", base().put("riderId", rider).put("fee", fee)));
  }

  Decision<Delivery> onCooked() {
    return cooked ? Decision.unchanged(this) : Decision.unchanged(with(status, true, riderId));
  }

  /** The order was cancelled: an open or assigned delivery is withdrawn. */
  Decision<Delivery> withdraw(String reason) {
    if (status != Status.OPEN && status != Status.ASSIGNED) {
      return Decision.unchanged(this);
    }
    return Decision.of(
        with(Status.WITHDRAWN, cooked, riderId),
        event("delivery.withdrawn", base().put("reason", reason).put("riderId", riderId)));
  }

  /** As a rider at {@code km} from the store sees it in the list. */
  JsonObject offer(double km, Geo geo) {
    return new JsonObject()
        .put("orderId", orderId.toString())
        .put("storeId", storeId)
        .put("storeName", storeName)
        .put("storeLocation", new JsonObject().put("lat", storeLat).put("lng", storeLng))
        .put("deliveryAddress", deliveryAddress.copy())
        .put("distanceKm", round(km))
        .put("etaMinutes", (int) Math.ceil(geo.etaMinutes(km)))
        .put("express", express)
        .put("fee", fee)
        .put("cooked", cooked);
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("orderId", orderId.toString())
        .put("storeId", storeId)
        .put("storeName", storeName)
        .put("storeLocation", new JsonObject().put("lat", storeLat).put("lng", storeLng))
        .put("deliveryAddress", deliveryAddress.copy())
        .put("express", express)
        .put("fee", fee)
        .put("status", status.name())
        .put("cooked", cooked)
        .put("riderId", riderId);
  }

  private void requireRider(String rider) {
    if (riderId == null || !riderId.equals(rider)) {
      // not theirs: existence is not theirs to know
      throw ProblemException.notFound("you have no delivery " + orderId);
    }
  }

  private Delivery with(Status s, boolean isCooked, String rider) {
    return new Delivery(
        orderId,
        storeId,
        storeName,
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
        Instant.now());
  }

  private JsonObject base() {
    return new JsonObject()
        .put("orderId", orderId.toString())
        .put("storeId", storeId)
        .put("customerId", customerId);
  }

  private CloudEvent event(String type, JsonObject data) {
    return CloudEvent.of(SOURCE, type, orderId.toString(), data);
  }

  private static double round(double km) {
    return Math.round(km * 100) / 100.0;
  }
}
