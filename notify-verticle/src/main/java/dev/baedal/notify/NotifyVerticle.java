package dev.baedal.notify;

import dev.baedal.contract.EventType;
import dev.baedal.platform.ContextKit;
import dev.baedal.platform.Settings;
import dev.baedal.platform.Topics;
import dev.baedal.platform.db.Database;
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
  private ContextKit kit;

  @Override
  public Future<?> start() {
    Settings settings = Settings.of(config());
    Pool pool = Database.pool(vertx, settings);
    NotifyService service = new NotifyService(settings.string("public.url"));
    kit =
        new ContextKit(vertx, settings, pool, NoticeRepository.SCHEMA)
            .publishing()
            .consume(
                "notify",
                Set.of(
                    Topics.CATALOG,
                    Topics.ORDER_EVENTS,
                    Topics.STORE_EVENTS,
                    Topics.DELIVERY_EVENTS,
                    Topics.NOTIFICATION_RECEIPTS),
                NotifyService.HANDLES,
                EventType.KNOWN,
                service);
    return kit.migrate("notify").compose(v -> kit.run());
  }

  @Override
  public Future<?> stop() {
    return kit == null ? Future.succeededFuture() : kit.stop();
  }
}
