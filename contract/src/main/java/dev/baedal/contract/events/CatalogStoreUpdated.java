package dev.baedal.contract.events;

import dev.baedal.contract.EventType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code catalog.store-updated} (on the compacted {@code catalog} topic, keyed by store): the whole
 * store as it is now, so the latest record of each store is all a replica needs.
 *
 * @param nameKo the Korean name, or null
 * @param open whether it takes orders (true when absent, as in the first snapshots)
 */
public record CatalogStoreUpdated(
    String storeId, String name, String nameKo, Point location, boolean open, List<Dish> menu)
    implements Payload {

  /** A line of the menu: {@code {menuId, name, nameKo, price}}, the price in won. */
  public record Dish(String menuId, String name, String nameKo, int price) {
    static Dish of(JsonObject d) {
      return new Dish(
          d.getString("menuId"),
          d.getString("name"),
          d.getString("nameKo"),
          Fields.integer(d, "price"));
    }

    JsonObject toJson() {
      return new JsonObject()
          .put("menuId", menuId)
          .put("name", name)
          .put("nameKo", nameKo)
          .put("price", price);
    }
  }

  public CatalogStoreUpdated {
    menu = List.copyOf(menu);
  }

  public static CatalogStoreUpdated of(JsonObject d) {
    JsonArray dishes = d.getJsonArray("menu", new JsonArray());
    List<Dish> menu = new ArrayList<>(dishes.size());
    for (int i = 0; i < dishes.size(); i++) {
      menu.add(Dish.of(dishes.getJsonObject(i)));
    }
    return new CatalogStoreUpdated(
        d.getString("storeId"),
        d.getString("name"),
        d.getString("nameKo"),
        Point.of(Fields.object(d, "location")),
        d.getBoolean("open", true),
        menu);
  }

  @Override
  public EventType type() {
    return EventType.CATALOG_STORE_UPDATED;
  }

  @Override
  public JsonObject toJson() {
    JsonArray dishes = new JsonArray();
    menu.forEach(dish -> dishes.add(dish.toJson()));
    return new JsonObject()
        .put("storeId", storeId)
        .put("name", name)
        .put("nameKo", nameKo)
        .put("location", location.toJson())
        .put("open", open)
        .put("menu", dishes);
  }
}
