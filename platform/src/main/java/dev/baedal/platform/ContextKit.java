package dev.baedal.platform;

import dev.baedal.platform.consistency.Backlog;
import dev.baedal.platform.db.Database;
import dev.baedal.platform.events.CloudEvent;
import dev.baedal.platform.health.Readiness;
import dev.baedal.platform.http.Problems;
import dev.baedal.platform.kafka.IdempotentConsumer;
import dev.baedal.platform.kafka.KafkaClients;
import dev.baedal.platform.outbox.OutboxRelay;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a context verticle runs besides its own handlers: its migrations, the relay of its outbox
 * and its idempotent consumers, each consumer registered for readiness, all stopped together; and
 * the event-bus addresses it answers at, where its domain refusals become problems.
 *
 * <pre>{@code
 * kit = new ContextKit(vertx, settings, pool, "rider_svc")
 *     .publishing()
 *     .consume("rider-deliveries", Set.of(Topics.STORE_EVENTS), RiderService.HANDLES,
 *         EventType.KNOWN, service::on);
 * return kit.migrate("rider")
 *     .compose(v -> kit.run())
 *     .compose(v -> kit.answer(Addresses.RIDER_ACTION, service::act));
 * }</pre>
 */
public final class ContextKit {
  private static final Logger log = LoggerFactory.getLogger(ContextKit.class);
  private final Vertx vertx;
  private final Settings settings;
  private final Pool pool;
  private final String schema;
  private final List<IdempotentConsumer> consumers = new ArrayList<>();
  private final List<String> checks = new ArrayList<>();
  private final List<EarlyFeed> earlyFeeds = new ArrayList<>();
  private final List<MessageConsumer<String>> early = new ArrayList<>();
  private OutboxRelay relay;

  public ContextKit(Vertx vertx, Settings settings, Pool pool, String schema) {
    this.vertx = vertx;
    this.settings = settings;
    this.pool = pool;
    this.schema = schema;
  }

  /**
   * Answers the requests sent to {@code address} with what {@code handler} returns; a failure,
   * thrown or returned, is answered as the problem it stands for: a domain {@code Refusal} as its
   * {@code 409} or {@code 404} ({@link Problems#replier(Function)}). Completes once the consumer is
   * registered.
   */
  public <T> Future<Void> answer(String address, Function<T, Future<?>> handler) {
    return vertx.eventBus().<T>consumer(address, Problems.replier(handler)).completion();
  }

  /** The context writes events to its outbox: relay them to Kafka. */
  public ContextKit publishing() {
    relay = new OutboxRelay(vertx, settings, KafkaClients.sharedProducer(vertx, settings), schema);
    return this;
  }

  /**
   * Consumes the events of {@code types} (empty: all) from {@code topics} in the consumer group
   * {@code group}, once per event. {@code known} is every type of the published language: one
   * outside it is counted and skipped on purpose ({@link IdempotentConsumer}).
   */
  public ContextKit consume(
      String group,
      Set<String> topics,
      Set<String> types,
      Set<String> known,
      IdempotentConsumer.Handler handler) {
    IdempotentConsumer consumer =
        new IdempotentConsumer(
            vertx,
            pool,
            settings,
            schema,
            group,
            Topics.qualified(settings, topics),
            types,
            known,
            handler);
    consumers.add(consumer);
    String check = group + "-consumer";
    Readiness.of(vertx)
        .registerDetailCondition(
            check, consumer::isAssigned, group + " has no partitions assigned yet");
    checks.add(check);
    return this;
  }

  /**
   * Lets the consumer of {@code group} also handle, at once, the events published on {@code
   * address} right after their commit (such as {@link Addresses#ORDER_PLACED}): each is handled as
   * its record of {@code topic} will be, which then finds it handled ({@link
   * IdempotentConsumer#handleEarly}). A failure is left to the record.
   */
  public ContextKit early(String group, String address, String topic) {
    IdempotentConsumer consumer =
        consumers.stream()
            .filter(c -> c.group().equals(group))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no consumer " + group));
    earlyFeeds.add(new EarlyFeed(address, consumer, Topics.qualified(settings, topic)));
    return this;
  }

  /** Events published on {@code address} that {@code consumer} handles early ({@link #early}). */
  private record EarlyFeed(String address, IdempotentConsumer consumer, String topic) {}

  private void listen(EarlyFeed feed) {
    early.add(
        vertx
            .eventBus()
            .<String>consumer(
                feed.address(), m -> handleEarly(feed.consumer(), feed.topic(), m.body())));
  }

  private static void handleEarly(IdempotentConsumer consumer, String topic, String body) {
    Future<Void> handled;
    try {
      handled = consumer.handleEarly(topic, CloudEvent.parse(body));
    } catch (RuntimeException e) {
      handled = Future.failedFuture(e);
    }
    handled.onFailure(
        err ->
            log.debug(
                "{}: an early event is left to its record: {}", consumer.group(), err.toString()));
  }

  /** Runs the platform's and {@code classpath:db/<context>}'s migrations into the schema. */
  public Future<Void> migrate(String context) {
    return Database.migrate(vertx, settings, schema, context);
  }

  /** Starts the relay, then the consumers; completes once every subscription exists. */
  public Future<Void> run() {
    if (relay != null) {
      Backlog.of(vertx).register(Backlog.OUTBOX + schema, relay::behindMs);
    }
    Future<Void> chain = relay == null ? Future.succeededFuture() : relay.start();
    for (IdempotentConsumer c : consumers) {
      chain = chain.compose(v -> c.start());
    }
    return chain.onSuccess(v -> earlyFeeds.forEach(this::listen));
  }

  public Future<Void> stop() {
    Readiness readiness = Readiness.of(vertx);
    checks.forEach(readiness::unregister);
    List<Future<?>> stopped = new ArrayList<>();
    if (relay != null) {
      Backlog.of(vertx).unregister(Backlog.OUTBOX + schema);
      stopped.add(relay.stop());
    }
    early.forEach(c -> stopped.add(c.unregister()));
    consumers.forEach(c -> stopped.add(c.stop()));
    return Future.join(stopped).mapEmpty();
  }
}
