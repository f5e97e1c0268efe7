package dev.baedal.order;

import dev.baedal.contract.EventType;
import dev.baedal.contract.Won;
import dev.baedal.platform.Addresses;
import dev.baedal.platform.ContextKit;
import dev.baedal.platform.Settings;
import dev.baedal.platform.Topics;
import dev.baedal.platform.consistency.CatchUp;
import dev.baedal.platform.db.Database;
import dev.baedal.platform.health.Readiness;
import dev.baedal.platform.outbox.Outbox;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The order context: places and serves orders; keeps a replica of the catalogue, which also answers
 * browsing (see {@link CatalogReplica}).
 */
public final class OrderVerticle extends VerticleBase {
  private static final String REPLICA_CHECK = "order-catalog-replica";
  private ContextKit kit;
  private PaymentClient payments;
  private long sagaTimer = -1;

  @Override
  public Future<?> start() {
    Settings settings = Settings.of(config());
    Pool pool = Database.pool(vertx, settings);
    CatalogReplica catalog = new CatalogReplica();
    payments = new PaymentClient(vertx, settings);
    Quote.Fees fees =
        new Quote.Fees(
            Won.of(settings.integer("fee.delivery")), Won.of(settings.integer("fee.express")));
    // the contexts that show a new order take it from here at once, and from Kafka for sure
    OrderService service =
        new OrderService(
            pool,
            catalog,
            payments,
            fees,
            new Outbox(OrderRepository.SCHEMA)
                .handingOver(
                    vertx, Addresses.ORDER_PLACED, EventType.wires(EventType.ORDER_PLACED)));
    OrderCommands commands =
        new OrderCommands(
            pool,
            catalog,
            payments,
            fees,
            CatchUp.of(vertx),
            settings.integer("catch-up.timeout-ms"));
    OrderProgress progress = new OrderProgress(pool);
    kit =
        new ContextKit(vertx, settings, pool, OrderRepository.SCHEMA)
            .publishing()
            .consume(
                "order-catalog",
                Set.of(Topics.CATALOG),
                EventType.wires(EventType.CATALOG_STORE_UPDATED),
                EventType.KNOWN,
                catalog::apply)
            .consume(
                "order-progress",
                Set.of(Topics.STORE_EVENTS, Topics.DELIVERY_EVENTS),
                OrderProgress.PROGRESS,
                EventType.KNOWN,
                progress.handler());
    Readiness.of(vertx).register(REPLICA_CHECK, () -> catalog.ensureFilled(pool));
    Duration deadline = Duration.ofMillis(settings.integer("saga.deadline-ms"));
    sagaTimer =
        vertx.setPeriodic(
            Math.max(1000, deadline.toMillis() / 2), id -> progress.reaskStuckSagas(deadline));
    return kit.migrate("order")
        .compose(v -> kit.run())
        .compose(
            v ->
                Future.all(
                    List.of(
                        kit.answer(Addresses.ORDER_PLACE, service::place),
                        kit.answer(Addresses.ORDER_CANCEL, commands::cancel),
                        kit.answer(Addresses.ORDER_MODIFY, commands::modify),
                        kit.answer(Addresses.ORDER_CONFIRM, commands::confirm),
                        kit.answer(Addresses.ORDER_ABANDON, service::abandon),
                        kit.answer(Addresses.CATALOG_STORES, (Object any) -> catalog.stores(pool)),
                        kit.answer(
                            Addresses.CATALOG_MENU,
                            (JsonObject q) -> catalog.menu(pool, q.getString("storeId"))))));
  }

  @Override
  public Future<?> stop() {
    Readiness.of(vertx).unregister(REPLICA_CHECK);
    vertx.cancelTimer(sagaTimer);
    if (payments != null) {
      payments.close();
    }
    return kit == null ? Future.succeededFuture() : kit.stop();
  }
}
