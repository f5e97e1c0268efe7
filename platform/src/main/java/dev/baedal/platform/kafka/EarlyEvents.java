package dev.baedal.platform.kafka;

import dev.baedal.platform.consistency.CatchUp;
import dev.baedal.platform.db.AfterCommit;
import dev.baedal.platform.events.CloudEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;

/**
 * The events a consumer is handed before their records ({@link IdempotentConsumer#handleEarly}),
 * handled one transaction at a time: what arrives while a transaction runs goes into the next. So
 * under load they come together in fewer, larger transactions, and no more than one at a time
 * competes with the consumer's own batches for connections and rows. Used from one event loop.
 */
final class EarlyEvents {
  /** Beyond this many waiting, an event is left to its record: the database is not keeping up. */
  static final int MAX_WAITING = 1000;

  private record Waiting(String topic, CloudEvent event, Promise<Void> handled) {}

  private final Pool pool;
  private final Inbox inbox;
  private final CatchUp catchUp;
  private List<Waiting> waiting = new ArrayList<>();
  private boolean running;

  EarlyEvents(Pool pool, Inbox inbox, CatchUp catchUp) {
    this.pool = pool;
    this.inbox = inbox;
    this.catchUp = catchUp;
  }

  /** Completes once {@code event} is handled (or was before), fails if it could not be. */
  Future<Void> add(String topic, CloudEvent event) {
    if (waiting.size() >= MAX_WAITING) {
      return Future.failedFuture(MAX_WAITING + " early events are waiting already");
    }
    Promise<Void> handled = Promise.promise();
    waiting.add(new Waiting(topic, event, handled));
    if (!running) {
      next();
    }
    return handled.future();
  }

  private void next() {
    if (waiting.isEmpty()) {
      running = false;
      return;
    }
    running = true;
    List<Waiting> batch = waiting;
    waiting = new ArrayList<>();
    List<String> topics = new ArrayList<>(batch.size());
    List<CloudEvent> events = new ArrayList<>(batch.size());
    for (Waiting w : batch) {
      topics.add(w.topic());
      events.add(w.event());
    }
    AfterCommit.<Void>transaction(pool, tx -> inbox.handleEvents(tx, topics, events))
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                catchUp.applied(events.stream().map(CloudEvent::subject).toList());
              }
              batch.forEach(w -> w.handled().handle(ar));
              next();
            });
  }
}
