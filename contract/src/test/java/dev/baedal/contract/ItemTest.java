package dev.baedal.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ItemTest {
  private static final JsonObject WIRE =
      new JsonObject()
          .put("menuId", "chicken-fried")
          .put("name", "Fried Chicken")
          .put("nameKo", "후라이드 치킨")
          .put("quantity", 2)
          .put("price", 18000);

  @Test
  @DisplayName(
      "an item reads from and writes to the wire as {menuId, name, nameKo, quantity, price}")
  void roundTrip() {
    Item item = Item.of(WIRE);
    assertThat(item).isEqualTo(new Item("chicken-fried", "Fried Chicken", "후라이드 치킨", 2, 18000));
    assertThat(item.toJson()).isEqualTo(WIRE);
    assertThat(item.amount()).isEqualTo(Won.of(36000));
  }

  @Test
  @DisplayName("a line without a Korean name has no nameKo on the wire")
  void noKoreanName() {
    JsonObject cola =
        new JsonObject()
            .put("menuId", "cola")
            .put("name", "Cola")
            .put("quantity", 1)
            .put("price", 2500);
    assertThat(Item.of(cola).nameKo()).isNull();
    assertThat(Item.of(cola).toJson()).isEqualTo(cola);
  }

  @Test
  @DisplayName("a list of items keeps its order both ways and cannot be changed")
  void list() {
    JsonArray wire = new JsonArray().add(WIRE).add(Item.of(WIRE).toJson().put("menuId", "cola"));
    List<Item> items = Item.list(wire);
    assertThat(items).extracting(Item::menuId).containsExactly("chicken-fried", "cola");
    assertThat(Item.json(items)).isEqualTo(wire);
    assertThat(items).isUnmodifiable();
  }
}
