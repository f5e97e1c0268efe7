package dev.baedal.rider;

import dev.baedal.contract.EventType;
import dev.baedal.contract.Reach;
import dev.baedal.platform.Addresses;
import dev.baedal.platform.ContextKit;
import dev.baedal.platform.Settings;
import dev.baedal.platform.Topics;
import dev.baedal.platform.db.Database;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import java.util.Set;

/** The rider context: deliveries open when cooking starts; riders near the store claim them. */
public final class RiderVerticle extends VerticleBase {
  private ContextKit kit;

  @Override
  public Future<?> start() {
    Settings settings = Settings.of(config());
    Pool pool = Database.pool(vertx, settings);
    RiderService service =
        new RiderService(vertx, pool, Reach.of(settings), settings.integer("catch-up.timeout-ms"));
    kit =
        new ContextKit(vertx, settings, pool, DeliveryRepository.SCHEMA)
            .publishing()
            .consume(
                "rider-deliveries",
                Set.of(Topics.STORE_EVENTS),
                RiderService.HANDLES,
                EventType.KNOWN,
                service.consumer())
            .early("rider-deliveries", Addresses.STORE_COOKING, Topics.STORE_EVENTS);
    return kit.migrate("rider")
        .compose(v -> kit.run())
        .compose(
            v ->
                Future.all(
                    kit.answer(Addresses.RIDER_NEARBY, service::nearby),
                    kit.answer(Addresses.RIDER_MINE, service::mine),
                    kit.answer(Addresses.RIDER_SNAPSHOT, service::active),
                    kit.answer(Addresses.RIDER_ACTION, service::act)));
  }

  @Override
  public Future<?> stop() {
    return kit == null ? Future.succeededFuture() : kit.stop();
  }
}
