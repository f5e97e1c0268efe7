package dev.baedal.rider;

/** Distances on the earth and travel times, for matching riders to deliveries. */
record Geo(double radiusKm, double speedKmh, int expressEtaMinutes) {
  private static final double EARTH_RADIUS_KM = 6371.0088;

  /** Great-circle distance by the haversine formula, in km. */
  static double distanceKm(double lat1, double lng1, double lat2, double lng2) {
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

  /** Minutes to cover {@code km} at the configured speed. */
  double etaMinutes(double km) {
    return km / speedKmh * 60.0;
  }

  /**
   * Whether a rider {@code km} from the store may see and claim a delivery: normal ones within the
   * radius, express ones only when the rider reaches the store within the express ETA.
   */
  boolean reaches(double km, boolean express) {
    return express ? etaMinutes(km) <= expressEtaMinutes : km <= radiusKm;
  }
}
