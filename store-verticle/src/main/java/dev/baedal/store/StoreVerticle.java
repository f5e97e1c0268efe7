package dev.baedal.store;

import dev.baedal.platform.Addresses;
import dev.baedal.platform.Settings;
import dev.baedal.platform.db.Database;
import dev.baedal.platform.http.ProblemException;
import dev.baedal.platform.http.Problems;
import dev.baedal.platform.kafka.KafkaClients;
import dev.baedal.platform.outbox.OutboxRelay;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store context. So far: owns the stores and menus, seeds the demo data and publishes the
 * catalogue; answers the catalogue queries of the gateway.
 */
public final class StoreVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(StoreVerticle.class);
  private OutboxRelay relay;

  @Override
  public Future<?> start() {
    Settings settings = Settings.of(config());
    Pool pool = Database.pool(vertx, settings);
    Catalog catalog = new Catalog(pool);
    relay =
        new OutboxRelay(
            vertx, pool, settings, KafkaClients.sharedProducer(vertx, settings), Catalog.SCHEMA);
    var bus = vertx.eventBus();
    return Database.migrate(vertx, settings, Catalog.SCHEMA, "store")
        .compose(v -> catalog.seed())
        .onSuccess(n -> log.info("catalogue: {} demo stores seeded", n))
        .compose(v -> relay.start())
        .compose(
            v ->
                Future.all(
                    bus.consumer(Addresses.STORE_LIST, Problems.replier(any -> catalog.stores()))
                        .completion(),
                    bus.consumer(
                            Addresses.STORE_MENU,
                            Problems.<JsonObject>replier(
                                q -> menu(catalog, q.getString("storeId"))))
                        .completion()));
  }

  private static Future<JsonArray> menu(Catalog catalog, String storeId) {
    return catalog
        .store(catalog.pool(), storeId)
        .map(
            store -> {
              if (store == null) {
                throw ProblemException.notFound("there is no store " + storeId);
              }
              return store.getJsonArray("menu");
            });
  }

  @Override
  public Future<?> stop() {
    return relay == null ? Future.succeededFuture() : relay.stop();
  }
}
