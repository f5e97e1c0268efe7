package dev.baedal.store;

import dev.baedal.contract.events.CatalogStoreUpdated;
import dev.baedal.platform.Topics;
import dev.baedal.platform.outbox.Outbox;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The store context's catalogue: stores and menus in its schema, seeded from {@code
 * demo/stores.json}, and published as one snapshot per store on the compacted {@code catalog} topic
 * whenever it changes.
 */
final class Catalog {
  static final String SCHEMA = "store_svc";

  private static final String INSERT_STORE =
      "insert into store_svc.stores (store_id, name, name_ko, lat, lng) values ($1, $2, $3, $4, $5)"
          + " on conflict (store_id) do nothing";
  private static final String INSERT_ITEM =
      "insert into store_svc.menu_items (store_id, menu_id, name, name_ko, price, position)"
          + " values ($1, $2, $3, $4, $5, $6) on conflict (store_id, menu_id) do nothing";
  private static final String SET_OPEN =
      "update store_svc.stores set open = $2, updated_at = now() where store_id = $1";
  private static final String STORE =
      "select store_id, name, name_ko, lat, lng, open from store_svc.stores where store_id = $1";
  private static final String MENU =
      "select menu_id, name, name_ko, price from store_svc.menu_items where store_id = $1"
          + " order by position";

  private final Pool pool;
  private final Outbox outbox = new Outbox(SCHEMA);

  Catalog(Pool pool) {
    this.pool = pool;
  }

  /** Inserts the demo stores that are missing and publishes the snapshot of each new one. */
  Future<Integer> seed() {
    JsonArray stores = demoStores();
    return pool.withTransaction(
        tx -> {
          Future<Integer> chain = Future.succeededFuture(0);
          for (int i = 0; i < stores.size(); i++) {
            JsonObject store = stores.getJsonObject(i);
            chain = chain.compose(n -> seedStore(tx, store).map(added -> added ? n + 1 : n));
          }
          return chain;
        });
  }

  private Future<Boolean> seedStore(SqlClient tx, JsonObject store) {
    String id = store.getString("storeId");
    JsonObject loc = store.getJsonObject("location");
    return tx.preparedQuery(INSERT_STORE)
        .execute(
            Tuple.of(
                id,
                store.getString("name"),
                store.getString("nameKo"),
                loc.getDouble("lat"),
                loc.getDouble("lng")))
        .compose(
            rs -> {
              if (rs.rowCount() == 0) {
                return Future.succeededFuture(false);
              }
              JsonArray menu = store.getJsonArray("menu");
              List<Tuple> items = new ArrayList<>();
              for (int i = 0; i < menu.size(); i++) {
                JsonObject m = menu.getJsonObject(i);
                items.add(
                    Tuple.of(
                        id,
                        m.getString("menuId"),
                        m.getString("name"),
                        m.getString("nameKo"),
                        m.getInteger("price"),
                        i));
              }
              return tx.preparedQuery(INSERT_ITEM)
                  .executeBatch(items)
                  .compose(v -> publish(tx, id))
                  .map(true);
            });
  }

  /** Writes the current snapshot of {@code storeId} to the outbox, in {@code tx}. */
  Future<Void> publish(SqlClient tx, String storeId) {
    return store(tx, storeId)
        .compose(
            snapshot ->
                outbox.append(
                    tx,
                    Topics.CATALOG,
                    CatalogStoreUpdated.of(snapshot)
                        .event(StoreEvents.SOURCE, storeId, Instant.now())));
  }

  /** Opens or closes a store and publishes the new snapshot; null if there is no such store. */
  Future<JsonObject> setOpen(SqlClient tx, String storeId, boolean open) {
    return tx.preparedQuery(SET_OPEN)
        .execute(Tuple.of(storeId, open))
        .compose(
            rs ->
                rs.rowCount() == 0
                    ? Future.succeededFuture(null)
                    : publish(tx, storeId).compose(v -> store(tx, storeId)))
        .map(
            store -> {
              if (store != null) {
                store.remove("menu");
              }
              return store;
            });
  }

  /** A store with its menu, or null. */
  Future<JsonObject> store(SqlClient db, String storeId) {
    return db.preparedQuery(STORE)
        .execute(Tuple.of(storeId))
        .compose(
            rs -> {
              if (rs.size() == 0) {
                return Future.succeededFuture(null);
              }
              JsonObject store = storeJson(rs.iterator().next());
              return menu(db, storeId).map(menu -> store.put("menu", menu));
            });
  }

  Future<JsonArray> menu(SqlClient db, String storeId) {
    return db.preparedQuery(MENU)
        .execute(Tuple.of(storeId))
        .map(
            rs -> {
              JsonArray menu = new JsonArray();
              for (Row r : rs) {
                menu.add(
                    new JsonObject()
                        .put("menuId", r.getString("menu_id"))
                        .put("name", r.getString("name"))
                        .put("nameKo", r.getString("name_ko"))
                        .put("price", r.getInteger("price")));
              }
              return menu;
            });
  }

  private static JsonObject storeJson(Row r) {
    return new JsonObject()
        .put("storeId", r.getString("store_id"))
        .put("name", r.getString("name"))
        .put("nameKo", r.getString("name_ko"))
        .put(
            "location",
            new JsonObject().put("lat", r.getDouble("lat")).put("lng", r.getDouble("lng")))
        .put("open", r.getBoolean("open"));
  }

  private static JsonArray demoStores() {
    try (InputStream in = Catalog.class.getResourceAsStream("/demo/stores.json")) {
      return new JsonArray(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
