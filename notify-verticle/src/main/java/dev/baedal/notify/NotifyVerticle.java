package dev.baedal.notify;

import dev.baedal.platform.Settings;
import dev.baedal.platform.Topics;
import dev.baedal.platform.db.Database;
import dev.baedal.platform.health.Readiness;
import dev.baedal.platform.kafka.IdempotentConsumer;
import dev.baedal.platform.kafka.KafkaClients;
import dev.baedal.platform.outbox.OutboxRelay;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import java.util.Set;

/**
 * The notify context: one KakaoTalk-style notification request per customer-visible status change
 * and per thank-you, on {@code notification-requests}; the outcomes from {@code
 * notification-receipts}. The Python notifier delivers them.
 */
public final class NotifyVerticle extends VerticleBase {
  private static final String CONSUMER_CHECK = "notify-consumer";
  private OutboxRelay relay;
  private IdempotentConsumer consumer;

  @Override
  public Future<?> start() {
    Settings settings = Settings.of(config());
    Pool pool = Database.pool(vertx, settings);
    NotifyService service = new NotifyService(settings.string("public.url"));
    relay =
        new OutboxRelay(
            vertx,
            pool,
            settings,
            KafkaClients.sharedProducer(vertx, settings),
            NotifyService.SCHEMA);
    consumer =
        new IdempotentConsumer(
            vertx,
            pool,
            settings,
            NotifyService.SCHEMA,
            "notify",
            Set.of(
                Topics.CATALOG,
                Topics.ORDER_EVENTS,
                Topics.STORE_EVENTS,
                Topics.DELIVERY_EVENTS,
                Topics.NOTIFICATION_RECEIPTS),
            service::on);
    Readiness.of(vertx)
        .registerCondition(CONSUMER_CHECK, consumer::isAssigned, "notify consumer not assigned");
    return Database.migrate(vertx, settings, NotifyService.SCHEMA, "notify")
        .compose(v -> relay.start())
        .compose(v -> consumer.start());
  }

  @Override
  public Future<?> stop() {
    Readiness.of(vertx).unregister(CONSUMER_CHECK);
    return Future.join(
        relay == null ? Future.succeededFuture() : relay.stop(),
        consumer == null ? Future.succeededFuture() : consumer.stop());
  }
}
