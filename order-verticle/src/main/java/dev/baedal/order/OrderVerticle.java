package dev.baedal.order;

import dev.baedal.platform.Addresses;
import dev.baedal.platform.Settings;
import dev.baedal.platform.Topics;
import dev.baedal.platform.db.Database;
import dev.baedal.platform.health.Readiness;
import dev.baedal.platform.http.Problems;
import dev.baedal.platform.kafka.IdempotentConsumer;
import dev.baedal.platform.kafka.KafkaClients;
import dev.baedal.platform.outbox.OutboxRelay;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.Set;
import java.util.function.Function;

/** The order context: places and serves orders; keeps a replica of the catalogue. */
public final class OrderVerticle extends VerticleBase {
  private OutboxRelay relay;
  private IdempotentConsumer catalogConsumer;
  private IdempotentConsumer progressConsumer;
  private PaymentClient payments;

  @Override
  public Future<?> start() {
    Settings settings = Settings.of(config());
    Pool pool = Database.pool(vertx, settings);
    CatalogReplica catalog = new CatalogReplica();
    payments = new PaymentClient(vertx, settings);
    OrderService service =
        new OrderService(
            pool,
            catalog,
            payments,
            new Order.Fees(settings.integer("fee.delivery"), settings.integer("fee.express")));
    relay =
        new OutboxRelay(
            vertx,
            pool,
            settings,
            KafkaClients.sharedProducer(vertx, settings),
            OrderRepository.SCHEMA);
    catalogConsumer =
        new IdempotentConsumer(
            vertx,
            pool,
            settings,
            OrderRepository.SCHEMA,
            "order-catalog",
            Set.of(Topics.CATALOG),
            catalog::apply);
    progressConsumer =
        new IdempotentConsumer(
            vertx,
            pool,
            settings,
            OrderRepository.SCHEMA,
            "order-progress",
            Set.of(Topics.STORE_EVENTS, Topics.DELIVERY_EVENTS),
            service::on);
    Readiness readiness = Readiness.of(vertx);
    readiness.registerCondition(
        "order-progress-consumer",
        progressConsumer::isAssigned,
        "progress partitions not assigned");
    readiness.registerCondition(
        "order-catalog-consumer", catalogConsumer::isAssigned, "catalog partitions not assigned");
    readiness.register("order-catalog-replica", () -> catalog.ensureFilled(pool));

    return Database.migrate(vertx, settings, OrderRepository.SCHEMA, "order")
        .compose(v -> relay.start())
        .compose(v -> catalogConsumer.start())
        .compose(v -> progressConsumer.start())
        .compose(
            v ->
                Future.all(
                    handle(Addresses.ORDER_PLACE, service::place),
                    handle(Addresses.ORDER_CANCEL, service::cancel),
                    handle(Addresses.ORDER_MODIFY, service::modify),
                    handle(Addresses.ORDER_CONFIRM, service::confirm)));
  }

  private Future<Void> handle(String address, Function<JsonObject, Future<?>> handler) {
    return vertx.eventBus().consumer(address, Problems.replier(handler)).completion();
  }

  @Override
  public Future<?> stop() {
    Readiness.of(vertx).unregister("order-catalog-consumer");
    Readiness.of(vertx).unregister("order-catalog-replica");
    Readiness.of(vertx).unregister("order-progress-consumer");
    if (payments != null) {
      payments.close();
    }
    return Future.join(
        relay == null ? Future.succeededFuture() : relay.stop(),
        catalogConsumer == null ? Future.succeededFuture() : catalogConsumer.stop(),
        progressConsumer == null ? Future.succeededFuture() : progressConsumer.stop());
  }
}
