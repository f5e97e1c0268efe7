package dev.baedal.contract;

import dev.baedal.platform.Settings;
import io.vertx.core.json.JsonObject;

/**
 * Which riders a delivery is offered to, and what they see of it (contract section 3). The rider
 * context decides claims with it and the gateway's live offers filter with it, so both apply one
 * rule.
 *
 * <ul>
 *   <li>{@code distanceKm} is rider to store; {@code etaMinutes} the whole trip, rider to store
 *       then store to customer, at {@code speedKmh};
 *   <li>a normal delivery reaches riders within {@code radiusKm} of the store;
 *   <li>an express one only riders whose whole trip takes at most {@code expressEtaMinutes} (the
 *       express promise).
 * </ul>
 */
public record Reach(double radiusKm, double speedKmh, int expressEtaMinutes) {
  private static final double EARTH_RADIUS_KM = 6371.0088;

  public static Reach of(Settings settings) {
    return new Reach(
        settings.decimal("rider.radius-km"),
        settings.decimal("rider.speed-kmh"),
        settings.integer("rider.express-eta-minutes"));
  }

  /** Great-circle distance by the haversine formula, in km. */
  public static double distanceKm(double lat1, double lng1, double lat2, double lng2) {
    double dLat = Math.toRadians(lat2 - lat1);
    double dLng = Math.toRadians(lng2 - lng1);
    double a =
        Math.sin(dLat / 2) * Math.sin(dLat / 2)
            + Math.cos(Math.toRadians(lat1))
                * Math.cos(Math.toRadians(lat2))
                * Math.sin(dLng / 2)
                * Math.sin(dLng / 2);
    return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
  }

  /** What a rider at ({@code lat}, {@code lng}) makes of a delivery. */
  public Trip trip(JsonObject delivery, double lat, double lng) {
    JsonObject store = delivery.getJsonObject("storeLocation");
    JsonObject customer = delivery.getJsonObject("deliveryAddress");
    double toStore = distanceKm(lat, lng, store.getDouble("lat"), store.getDouble("lng"));
    double toCustomer =
        distanceKm(
            store.getDouble("lat"),
            store.getDouble("lng"),
            customer.getDouble("lat"),
            customer.getDouble("lng"));
    // rounded up, but a trip of exactly 15 minutes is not 16 for a rounding error of the sum
    int eta = (int) Math.ceil((toStore + toCustomer) / speedKmh * 60.0 - 1e-9);
    boolean express = delivery.getBoolean("express", false);
    return new Trip(toStore, eta, express ? eta <= expressEtaMinutes : toStore <= radiusKm);
  }

  /**
   * The offer a rider at ({@code lat}, {@code lng}) sees of an open delivery, or null when it is
   * out of the rider's reach. It shows the customer's area, never the address or phone.
   */
  public JsonObject offer(JsonObject delivery, double lat, double lng) {
    Trip trip = trip(delivery, lat, lng);
    if (!trip.reaches()) {
      return null;
    }
    return new JsonObject()
        .put("orderId", delivery.getString("orderId"))
        .put("storeId", delivery.getString("storeId"))
        .put("storeName", delivery.getString("storeName"))
        .put("storeNameKo", delivery.getString("storeNameKo"))
        .put("storeLocation", delivery.getJsonObject("storeLocation").copy())
        .put("deliveryArea", delivery.getJsonObject("deliveryArea").copy())
        .put("distanceKm", Math.round(trip.distanceKm() * 100) / 100.0)
        .put("etaMinutes", trip.etaMinutes())
        .put("express", delivery.getBoolean("express", false))
        .put("fee", delivery.getInteger("fee"))
        .put("cooked", delivery.getBoolean("cooked", false))
        .put("version", delivery.getLong("version"));
  }

  /** The refusal a rider out of reach gets for a claim. */
  public String refusal(JsonObject delivery, Trip trip) {
    return delivery.getBoolean("express", false)
        ? String.format(
            "an express delivery needs a rider whose whole trip takes at most %d minutes;"
                + " yours takes %d",
            expressEtaMinutes, trip.etaMinutes())
        : String.format(
            "this delivery is for riders within %.1f km of the store; you are %.1f km away",
            radiusKm, trip.distanceKm());
  }

  /**
   * A rider's trip for one delivery.
   *
   * @param distanceKm rider to store
   * @param etaMinutes rider to store to customer, rounded up
   * @param reaches whether the delivery is offered to (and may be claimed by) this rider
   */
  public record Trip(double distanceKm, int etaMinutes, boolean reaches) {}
}
