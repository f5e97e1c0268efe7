package dev.baedal.order;

import dev.baedal.contract.Item;
import dev.baedal.contract.events.CatalogStoreUpdated;
import dev.baedal.platform.events.CloudEvent;
import dev.baedal.platform.http.ProblemException;
import dev.baedal.platform.http.Violation;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The order context's copy of the store catalogue, kept from the {@code catalog} topic, and the
 * pricing of order lines against it. Prices are copied into the order when it is placed, so a later
 * price change never touches an order that exists.
 *
 * <p>It also answers browsing ({@code GET /api/stores} and {@code /api/stores/{id}/menu}, over
 * {@link dev.baedal.platform.Addresses#CATALOG_STORES} and {@code CATALOG_MENU}), so customers
 * browse while the store context is down. Browsing is served here rather than from a replica of the
 * gateway's own: placing the order needs this context anyway, so browsing gains no new dependency;
 * what a customer is shown is exactly what the order will be priced from; and the gateway stays
 * without Kafka consumers (no consumer group per gateway, no Kafka user for it).
 */
final class CatalogReplica {
  private static final String UPSERT_STORE =
      "insert into order_svc.catalog_stores (store_id, name, name_ko, lat, lng, open, as_of)"
          + " values ($1, $2, $3, $4, $5, $6, $7) on conflict (store_id) do update set"
          + " name = excluded.name, name_ko = excluded.name_ko, lat = excluded.lat,"
          + " lng = excluded.lng, open = excluded.open, as_of = excluded.as_of"
          + " where catalog_stores.as_of <= excluded.as_of";
  private static final String DELETE_ITEMS =
      "delete from order_svc.catalog_items where store_id = $1";
  private static final String INSERT_ITEM =
      "insert into order_svc.catalog_items (store_id, menu_id, name, name_ko, price, position)"
          + " values ($1, $2, $3, $4, $5, $6)";
  private static final String STORE =
      "select name, name_ko, open from order_svc.catalog_stores where store_id = $1";
  private static final String ITEMS =
      "select store_id, menu_id, name, name_ko, price from order_svc.catalog_items"
          + " where menu_id = any($1)";
  private static final String STORES =
      "select store_id, name, name_ko, lat, lng, open from order_svc.catalog_stores"
          + " order by store_id";
  private static final String MENU =
      "select menu_id, name, name_ko, price from order_svc.catalog_items where store_id = $1"
          + " order by position, menu_id";

  /** Fails until the replica holds at least one store (orders cannot be priced before). */
  Future<Void> ensureFilled(SqlClient db) {
    return db.query("select exists (select 1 from order_svc.catalog_stores)")
        .execute()
        .compose(
            rs ->
                rs.iterator().next().getBoolean(0)
                    ? Future.<Void>succeededFuture()
                    : Future.failedFuture("the catalogue has not been replicated yet"));
  }

  /** Applies a {@code catalog.store-updated} snapshot (idempotent; older snapshots lose). */
  Future<Void> apply(SqlConnection tx, CloudEvent event) {
    CatalogStoreUpdated s = CatalogStoreUpdated.of(event.data());
    String storeId = s.storeId();
    return tx.preparedQuery(UPSERT_STORE)
        .execute(
            Tuple.of(
                storeId,
                s.name(),
                s.nameKo(),
                s.location().lat(),
                s.location().lng(),
                s.open(),
                event.time().atOffset(ZoneOffset.UTC)))
        .compose(
            rs -> {
              if (rs.rowCount() == 0) {
                return Future.succeededFuture();
              }
              List<Tuple> items = new ArrayList<>();
              for (int i = 0; i < s.menu().size(); i++) {
                CatalogStoreUpdated.Dish m = s.menu().get(i);
                items.add(Tuple.of(storeId, m.menuId(), m.name(), m.nameKo(), m.price(), i));
              }
              Future<?> deleted = tx.preparedQuery(DELETE_ITEMS).execute(Tuple.of(storeId));
              return deleted
                  .compose(
                      v ->
                          items.isEmpty()
                              ? Future.succeededFuture()
                              : tx.preparedQuery(INSERT_ITEM).executeBatch(items))
                  .mapEmpty();
            });
  }

  /**
   * Prices {@code lines} at {@code storeId}: 404 for an unknown store or a menu item no store
   * sells, 422 for a closed store or an item another store sells.
   */
  Future<Quote> quote(
      SqlClient db,
      String storeId,
      List<OrderRequest.Line> lines,
      boolean express,
      Quote.Fees fees) {
    String[] menuIds =
        lines.stream().map(OrderRequest.Line::menuId).distinct().toArray(String[]::new);
    return db.preparedQuery(STORE)
        .execute(Tuple.of(storeId))
        .compose(
            stores -> {
              if (stores.size() == 0) {
                throw ProblemException.notFound(
                    "there is no store " + storeId,
                    List.of(Violation.pointer("/storeId", "is not a store")));
              }
              Row store = stores.iterator().next();
              if (!store.getBoolean("open")) {
                throw ProblemException.unprocessable(
                    store.getString("name") + " is closed and takes no orders now",
                    List.of(Violation.pointer("/storeId", "is closed")));
              }
              return db.preparedQuery(ITEMS)
                  .execute(Tuple.of((Object) menuIds))
                  .map(
                      items ->
                          price(
                              store.getString("name"),
                              store.getString("name_ko"),
                              storeId,
                              lines,
                              items,
                              express,
                              fees));
            });
  }

  private static Quote price(
      String storeName,
      String storeNameKo,
      String storeId,
      List<OrderRequest.Line> lines,
      Iterable<Row> rows,
      boolean express,
      Quote.Fees fees) {
    Map<String, Row> here = new HashMap<>();
    Map<String, String> elsewhere = new HashMap<>();
    for (Row r : rows) {
      if (storeId.equals(r.getString("store_id"))) {
        here.put(r.getString("menu_id"), r);
      } else {
        elsewhere.put(r.getString("menu_id"), r.getString("store_id"));
      }
    }
    List<Item> priced = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    List<Violation> missing = new ArrayList<>();
    List<String> notSold = new ArrayList<>();
    List<Violation> notHere = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      OrderRequest.Line line = lines.get(i);
      Row item = here.get(line.menuId());
      String at = "/items/" + i + "/menuId";
      if (item == null && elsewhere.containsKey(line.menuId())) {
        notSold.add(line.menuId());
        notHere.add(Violation.pointer(at, "is not sold by this store"));
      } else if (item == null) {
        unknown.add(line.menuId());
        missing.add(Violation.pointer(at, "is not a menu item"));
      } else {
        priced.add(
            new Item(
                line.menuId(),
                item.getString("name"),
                item.getString("name_ko"),
                line.quantity(),
                item.getInteger("price")));
      }
    }
    if (!missing.isEmpty()) {
      throw ProblemException.notFound(
          "there is no menu item " + String.join(", ", unknown), missing);
    }
    if (!notHere.isEmpty()) {
      throw ProblemException.unprocessable(
          storeName + " does not sell " + String.join(", ", notSold), notHere);
    }
    return Quote.of(storeName, storeNameKo, priced, express, fees);
  }

  /**
   * {@code GET /api/stores}: every store as the contract lists them, {@code [{storeId, name,
   * nameKo, location: {lat, lng}, open}]}.
   */
  Future<JsonArray> stores(SqlClient db) {
    return db.query(STORES)
        .execute()
        .map(
            rows -> {
              JsonArray out = new JsonArray();
              for (Row r : rows) {
                out.add(
                    new JsonObject()
                        .put("storeId", r.getString("store_id"))
                        .put("name", r.getString("name"))
                        .put("nameKo", korean(r))
                        .put(
                            "location",
                            new JsonObject()
                                .put("lat", r.getDouble("lat"))
                                .put("lng", r.getDouble("lng")))
                        .put("open", r.getBoolean("open")));
              }
              return out;
            });
  }

  /**
   * {@code GET /api/stores/{storeId}/menu}: {@code [{menuId, name, nameKo, price}]} in the store's
   * order; 404 for a store the catalogue does not have.
   */
  Future<JsonArray> menu(SqlClient db, String storeId) {
    return db.preparedQuery(STORE)
        .execute(Tuple.of(storeId))
        .compose(
            stores -> {
              if (stores.size() == 0) {
                throw ProblemException.notFound(
                    "there is no store " + storeId,
                    List.of(Violation.parameter("storeId", "is not a store")));
              }
              return db.preparedQuery(MENU).execute(Tuple.of(storeId));
            })
        .map(
            rows -> {
              JsonArray out = new JsonArray();
              for (Row r : rows) {
                out.add(
                    new JsonObject()
                        .put("menuId", r.getString("menu_id"))
                        .put("name", r.getString("name"))
                        .put("nameKo", korean(r))
                        .put("price", r.getInteger("price")));
              }
              return out;
            });
  }

  /** The Korean name; the English one for a row replicated before names were (until it changes). */
  private static String korean(Row r) {
    String ko = r.getString("name_ko");
    return ko != null ? ko : r.getString("name");
  }
}
