package dev.baedal.contract;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A line of an order, priced from the catalogue when the order was placed or changed. On the wire
 * and in the databases it is {@code {menuId, name, nameKo, quantity, price}} (contract section 3;
 * {@code nameKo} only when the store gave one); in code it is this.
 *
 * @param nameKo the Korean name, or null
 * @param price the price of one, in won
 */
public record Item(String menuId, String name, String nameKo, int quantity, int price) {

  /** What the line costs: {@code quantity} times {@code price}. */
  public Won amount() {
    return Won.of(price).times(quantity);
  }

  /** The item {@code json} holds. */
  public static Item of(JsonObject json) {
    return new Item(
        json.getString("menuId"),
        json.getString("name"),
        json.getString("nameKo"),
        json.getInteger("quantity"),
        json.getInteger("price"));
  }

  /** The items {@code json} holds, in order. */
  public static List<Item> list(JsonArray json) {
    List<Item> items = new ArrayList<>(json.size());
    for (int i = 0; i < json.size(); i++) {
      items.add(of(json.getJsonObject(i)));
    }
    return List.copyOf(items);
  }

  /** {@code items} as their JSON array. */
  public static JsonArray json(List<Item> items) {
    JsonArray json = new JsonArray();
    items.forEach(item -> json.add(item.toJson()));
    return json;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("menuId", menuId).put("name", name);
    if (nameKo != null) {
      json.put("nameKo", nameKo);
    }
    return json.put("quantity", quantity).put("price", price);
  }
}
