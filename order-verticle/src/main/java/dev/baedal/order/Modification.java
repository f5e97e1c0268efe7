package dev.baedal.order;

import dev.baedal.contract.Item;
import dev.baedal.contract.Won;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * A change of items the customer asked for and the store has not decided on yet, priced when asked.
 * It is kept with the order (as {@link #toJson()}) until the store confirms or refuses it.
 *
 * @param delta the new total minus the old (negative: money back once confirmed)
 */
record Modification(
    String modificationId,
    List<Item> items,
    Won subtotal,
    Won total,
    Won delta,
    Instant requestedAt) {

  Modification {
    items = List.copyOf(items);
  }

  static Modification of(JsonObject json) {
    return new Modification(
        json.getString("modificationId"),
        Item.list(json.getJsonArray("items")),
        Won.of(json.getInteger("subtotal")),
        Won.of(json.getInteger("total")),
        Won.of(json.getInteger("delta")),
        Instant.parse(json.getString("requestedAt")));
  }

  /** {@code {modificationId, items, subtotal, total, delta, requestedAt}}. */
  JsonObject toJson() {
    return new JsonObject()
        .put("modificationId", modificationId)
        .put("items", Item.json(items))
        .put("subtotal", subtotal.value())
        .put("total", total.value())
        .put("delta", delta.value())
        .put("requestedAt", requestedAt.toString());
  }
}
