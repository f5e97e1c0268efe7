package dev.baedal.query;

import dev.baedal.contract.EventType;
import dev.baedal.contract.OrderProjection;
import dev.baedal.platform.Addresses;
import dev.baedal.platform.ContextKit;
import dev.baedal.platform.Settings;
import dev.baedal.platform.Topics;
import dev.baedal.platform.db.Database;
import dev.baedal.platform.http.Problems;
import dev.baedal.platform.live.LiveFeed;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import java.util.HashSet;
import java.util.Set;

/**
 * The query side (CQRS): order views built from the Kafka topics alone, in its own schema. It
 * answers {@code GET /api/orders[/{id}]} and keeps answering while every other context is down.
 */
public final class QueryVerticle extends VerticleBase {
  /** Every topic a view is built from. */
  public static final Set<String> TOPICS = new HashSet<>(Topics.EVENT_TOPICS);

  private ContextKit kit;

  @Override
  public Future<?> start() {
    Settings settings = Settings.of(config());
    Pool pool = Database.pool(vertx, settings);
    QueryService service =
        new QueryService(pool, ViewRepository.SCHEMA, new LiveFeed(vertx, Addresses.LIVE_ORDERS));
    kit =
        new ContextKit(vertx, settings, pool, ViewRepository.SCHEMA)
            .consume("query-views", TOPICS, OrderProjection.EVENT_TYPES, EventType.KNOWN, service)
            .early("query-views", Addresses.ORDER_PLACED, Topics.ORDER_EVENTS);
    var bus = vertx.eventBus();
    return kit.migrate("query")
        .compose(v -> kit.run())
        .compose(
            v ->
                Future.all(
                    bus.consumer(Addresses.QUERY_GET, Problems.replier(service::get)).completion(),
                    bus.consumer(Addresses.QUERY_SNAPSHOT, Problems.replier(service::snapshot))
                        .completion(),
                    bus.consumer(Addresses.QUERY_VERSIONS, Problems.replier(service::versions))
                        .completion(),
                    bus.consumer(Addresses.QUERY_LIST, Problems.replier(service::list))
                        .completion()));
  }

  @Override
  public Future<?> stop() {
    return kit == null ? Future.succeededFuture() : kit.stop();
  }
}
