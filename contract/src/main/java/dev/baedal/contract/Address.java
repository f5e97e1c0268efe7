package dev.baedal.contract;

import io.vertx.core.json.JsonObject;

/**
 * Where an order goes: the customer's words for it, its point on the map, and the phone the rider
 * and the notifications reach the customer on. On the wire and in the databases it is {@code {text,
 * lat, lng, phone}} (contract section 3); in code it is this.
 *
 * @param phone may be null (no phone given and none on the account)
 */
public record Address(String text, double lat, double lng, String phone) {

  /** The address {@code json} holds ({@code phone} may be absent). */
  public static Address of(JsonObject json) {
    return new Address(
        json.getString("text"),
        json.getDouble("lat"),
        json.getDouble("lng"),
        json.getString("phone"));
  }

  /** The same place, reached on {@code newPhone}. */
  public Address withPhone(String newPhone) {
    return new Address(text, lat, lng, newPhone);
  }

  public JsonObject toJson() {
    return place().put("phone", phone);
  }

  /** The place alone, without the phone: what a rider sees before the delivery is theirs. */
  public JsonObject place() {
    return new JsonObject().put("text", text).put("lat", lat).put("lng", lng);
  }
}
