package dev.baedal.store;

import dev.baedal.platform.Addresses;
import dev.baedal.platform.Settings;
import dev.baedal.platform.Topics;
import dev.baedal.platform.db.Database;
import dev.baedal.platform.health.Readiness;
import dev.baedal.platform.http.ProblemException;
import dev.baedal.platform.http.Problems;
import dev.baedal.platform.kafka.IdempotentConsumer;
import dev.baedal.platform.kafka.KafkaClients;
import dev.baedal.platform.outbox.OutboxRelay;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store context: stores, menus and the catalogue they publish; the orders each store works on
 * (from {@code order.placed}), the owner's actions on them, and its verdicts in the cancel and
 * modify sagas.
 */
public final class StoreVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(StoreVerticle.class);
  private static final String CONSUMER_CHECK = "store-orders-consumer";
  private OutboxRelay relay;
  private IdempotentConsumer consumer;

  @Override
  public Future<?> start() {
    Settings settings = Settings.of(config());
    Pool pool = Database.pool(vertx, settings);
    Catalog catalog = new Catalog(pool);
    StoreService service = new StoreService(pool, catalog);
    relay =
        new OutboxRelay(
            vertx, pool, settings, KafkaClients.sharedProducer(vertx, settings), Catalog.SCHEMA);
    consumer =
        new IdempotentConsumer(
            vertx,
            pool,
            settings,
            Catalog.SCHEMA,
            "store-orders",
            Set.of(Topics.ORDER_EVENTS, Topics.DELIVERY_EVENTS),
            service::on);
    Readiness.of(vertx)
        .registerCondition(CONSUMER_CHECK, consumer::isAssigned, "store consumer not assigned");
    var bus = vertx.eventBus();
    return Database.migrate(vertx, settings, Catalog.SCHEMA, "store")
        .compose(v -> catalog.seed())
        .onSuccess(n -> log.info("catalogue: {} demo stores seeded", n))
        .compose(v -> relay.start())
        .compose(v -> consumer.start())
        .compose(
            v ->
                Future.all(
                    bus.consumer(Addresses.STORE_LIST, Problems.replier(any -> catalog.stores()))
                        .completion(),
                    bus.consumer(
                            Addresses.STORE_MENU,
                            Problems.<JsonObject>replier(
                                q -> menu(catalog, q.getString("storeId"))))
                        .completion(),
                    bus.consumer(Addresses.STORE_ORDERS, Problems.replier(service::list))
                        .completion(),
                    bus.consumer(Addresses.STORE_ACTION, Problems.replier(service::act))
                        .completion(),
                    bus.consumer(Addresses.STORE_OPEN, Problems.replier(service::setOpen))
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
    Readiness.of(vertx).unregister(CONSUMER_CHECK);
    return Future.join(
        relay == null ? Future.succeededFuture() : relay.stop(),
        consumer == null ? Future.succeededFuture() : consumer.stop());
  }
}
