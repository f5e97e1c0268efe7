package dev.baedal.platform.consistency;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Supplier;

/**
 * Lets a command wait for its context to catch up. A client acts on what it was shown, and what it
 * was shown may come from a part that is ahead of the context the command goes to: the query side
 * shows DELIVERED a moment before the order context has applied {@code delivery.delivered}. Such a
 * command fails with {@link NotYetException}, or with a domain refusal that may pass ({@code
 * Refusal.mayPass}); {@link #retry} tries it again each time this process's consumers apply an
 * event about the same subject (and every {@link #POLL_MS} ms, for a consumer in another process),
 * until it stops failing that way or the wait is over.
 *
 * <p>The wait is at least {@link #GRACE_MS} (what an event normally takes from the outbox to a
 * consumer), and beyond that only while this process's consumers are behind (their {@link
 * Backlog}), up to {@code boundMs}: a command on something that truly does not exist is refused
 * within the grace, not after the bound.
 */
public final class CatchUp {
  static final long POLL_MS = 100;
  static final long GRACE_MS = 500;
  private static final Map<Vertx, CatchUp> INSTANCES = new WeakHashMap<>();

  private final Vertx vertx;
  private final Map<String, List<Waiter>> waiting = new HashMap<>();

  private CatchUp(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The instance of {@code vertx}'s process. */
  public static synchronized CatchUp of(Vertx vertx) {
    return INSTANCES.computeIfAbsent(vertx, CatchUp::new);
  }

  /** A consumer of this process committed events about {@code subjects}: wake their waiters. */
  public void applied(Collection<String> subjects) {
    List<Waiter> wake = new ArrayList<>();
    synchronized (this) {
      if (waiting.isEmpty()) {
        return;
      }
      for (String s : subjects) {
        List<Waiter> w = waiting.remove(s);
        if (w != null) {
          wake.addAll(w);
        }
      }
    }
    wake.forEach(Runnable::run);
  }

  /**
   * {@code attempt}, and again while it fails with "not yet" ({@link NotYetException#is}) and
   * {@code boundMs} has not passed; then its last outcome.
   */
  public <T> Future<T> retry(String subject, long boundMs, Supplier<Future<T>> attempt) {
    long now = System.nanoTime();
    Wait wait = new Wait(now + Math.min(boundMs, GRACE_MS) * 1_000_000, now + boundMs * 1_000_000);
    Promise<T> outcome = Promise.promise();
    tryOnce(subject, wait, attempt, outcome);
    return outcome.future();
  }

  /** Until when a command waits: the grace, then while behind up to the bound. */
  private record Wait(long grace, long bound) {
    boolean over(Backlog backlog) {
      long now = System.nanoTime();
      return now >= bound || (now >= grace && !backlog.anyBehind());
    }

    long leftMs() {
      return Math.max(1, (bound - System.nanoTime()) / 1_000_000);
    }
  }

  private <T> void tryOnce(
      String subject, Wait wait, Supplier<Future<T>> attempt, Promise<T> outcome) {
    Future<T> result;
    try {
      result = attempt.get();
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    Context context = vertx.getOrCreateContext();
    result.onComplete(
        ar -> {
          if (ar.succeeded() || !NotYetException.is(ar.cause()) || wait.over(Backlog.of(vertx))) {
            outcome.handle(ar);
            return;
          }
          Waiter waiter = new Waiter(context, () -> tryOnce(subject, wait, attempt, outcome));
          synchronized (this) {
            waiting.computeIfAbsent(subject, k -> new ArrayList<>()).add(waiter);
          }
          waiter.timer =
              vertx.setTimer(
                  Math.min(POLL_MS, wait.leftMs()),
                  id -> {
                    synchronized (this) {
                      List<Waiter> list = waiting.get(subject);
                      if (list != null && list.remove(waiter) && list.isEmpty()) {
                        waiting.remove(subject);
                      }
                    }
                    waiter.run();
                  });
        });
  }

  /** One retry to run once, on the context the command runs on. */
  private final class Waiter implements Runnable {
    private final Context context;
    private final Runnable retry;
    private boolean fired;
    private long timer = -1;

    Waiter(Context context, Runnable retry) {
      this.context = context;
      this.retry = retry;
    }

    @Override
    public void run() {
      context.runOnContext(
          v -> {
            if (!fired) {
              fired = true;
              vertx.cancelTimer(timer);
              retry.run();
            }
          });
    }
  }
}
