package dev.baedal.store;

import dev.baedal.contract.EventType;
import dev.baedal.platform.Addresses;
import dev.baedal.platform.ContextKit;
import dev.baedal.platform.Settings;
import dev.baedal.platform.Topics;
import dev.baedal.platform.db.Database;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
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
  private ContextKit kit;

  @Override
  public Future<?> start() {
    Settings settings = Settings.of(config());
    Pool pool = Database.pool(vertx, settings);
    Catalog catalog = new Catalog(pool);
    StoreService service =
        new StoreService(vertx, pool, catalog, settings.integer("catch-up.timeout-ms"));
    kit =
        new ContextKit(vertx, settings, pool, Catalog.SCHEMA)
            .publishing()
            .consume(
                "store-orders",
                Set.of(Topics.ORDER_EVENTS, Topics.DELIVERY_EVENTS),
                StoreService.HANDLES,
                EventType.KNOWN,
                service.consumer())
            .early("store-orders", Addresses.ORDER_PLACED, Topics.ORDER_EVENTS);
    return kit.migrate("store")
        .compose(v -> catalog.seed())
        .onSuccess(n -> log.info("catalogue: {} demo stores seeded", n))
        .compose(v -> kit.run())
        .compose(
            v ->
                Future.all(
                    kit.answer(Addresses.STORE_ORDERS, service::list),
                    kit.answer(Addresses.STORE_SNAPSHOT, service::open),
                    kit.answer(Addresses.STORE_ACTION, service::act),
                    kit.answer(Addresses.STORE_OPEN, service::setOpen)));
  }

  @Override
  public Future<?> stop() {
    return kit == null ? Future.succeededFuture() : kit.stop();
  }
}
