package dev.baedal.contract.events;

import io.vertx.core.json.JsonObject;

/** A point on the map: {@code {lat, lng}} on the wire (a store's location, say). */
public record Point(double lat, double lng) {

  public static Point of(JsonObject d) {
    return new Point(Fields.number(d, "lat"), Fields.number(d, "lng"));
  }

  public JsonObject toJson() {
    return new JsonObject().put("lat", lat).put("lng", lng);
  }
}
