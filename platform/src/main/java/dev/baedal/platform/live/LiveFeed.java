package dev.baedal.platform.live;

import dev.baedal.platform.db.AfterCommit;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * Tells live subscribers (the gateway's WebSockets) about a change once the transaction that made
 * it has committed: a publish on one event-bus address, to every node of a cluster, with the
 * changed thing's key (an order id) and version as headers, so a subscriber can tell a newer state
 * from one it already has without parsing the body.
 */
public final class LiveFeed {
  public static final String KEY = "key";
  public static final String VERSION = "version";

  /** Who the change is for (a store id, a rider id), when the subscribers are split that way. */
  public static final String AUDIENCE = "audience";

  private final Vertx vertx;
  private final String address;

  public LiveFeed(Vertx vertx, String address) {
    this.vertx = vertx;
    this.address = address;
  }

  /** Publishes {@code body} after {@code tx} commits (see {@link AfterCommit}). */
  public void afterCommit(SqlConnection tx, String key, long version, JsonObject body) {
    afterCommit(tx, key, version, null, body);
  }

  /** Publishes {@code body}, for {@code audience}, after {@code tx} commits. */
  public void afterCommit(
      SqlConnection tx, String key, long version, String audience, JsonObject body) {
    String text = body.encode();
    DeliveryOptions options =
        new DeliveryOptions().addHeader(KEY, key).addHeader(VERSION, Long.toString(version));
    if (audience != null) {
      options.addHeader(AUDIENCE, audience);
    }
    AfterCommit.run(tx, () -> vertx.eventBus().publish(address, text, options));
  }
}
