package dev.baedal.rider;

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
import io.vertx.sqlclient.Pool;
import java.util.Set;

/** The rider context: deliveries open when cooking starts; riders near the store claim them. */
public final class RiderVerticle extends VerticleBase {
  private static final String CONSUMER_CHECK = "rider-consumer";
  private OutboxRelay relay;
  private IdempotentConsumer consumer;

  @Override
  public Future<?> start() {
    Settings settings = Settings.of(config());
    Pool pool = Database.pool(vertx, settings);
    Geo geo =
        new Geo(
            settings.decimal("rider.radius-km"),
            settings.decimal("rider.speed-kmh"),
            settings.integer("rider.express-eta-minutes"));
    RiderService service = new RiderService(pool, geo);
    relay =
        new OutboxRelay(
            vertx,
            pool,
            settings,
            KafkaClients.sharedProducer(vertx, settings),
            DeliveryRepository.SCHEMA);
    consumer =
        new IdempotentConsumer(
            vertx,
            pool,
            settings,
            DeliveryRepository.SCHEMA,
            "rider-deliveries",
            Set.of(Topics.STORE_EVENTS),
            service::on);
    Readiness.of(vertx)
        .registerCondition(CONSUMER_CHECK, consumer::isAssigned, "rider consumer not assigned");
    var bus = vertx.eventBus();
    return Database.migrate(vertx, settings, DeliveryRepository.SCHEMA, "rider")
        .compose(v -> relay.start())
        .compose(v -> consumer.start())
        .compose(
            v ->
                Future.all(
                    bus.consumer(Addresses.RIDER_NEARBY, Problems.replier(service::nearby))
                        .completion(),
                    bus.consumer(Addresses.RIDER_MINE, Problems.replier(service::mine))
                        .completion(),
                    bus.consumer(Addresses.RIDER_ACTION, Problems.replier(service::act))
                        .completion()));
  }

  @Override
  public Future<?> stop() {
    Readiness.of(vertx).unregister(CONSUMER_CHECK);
    return Future.join(
        relay == null ? Future.succeededFuture() : relay.stop(),
        consumer == null ? Future.succeededFuture() : consumer.stop());
  }
}
