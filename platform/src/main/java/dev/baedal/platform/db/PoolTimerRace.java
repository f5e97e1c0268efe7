package dev.baedal.platform.db;

import dev.baedal.platform.metrics.Meters;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's handler of exceptions that nothing else caught, which tells one known, harmless
 * race of the SQL client's pool (vertx-sql-client 5.0) from real failures.
 *
 * <p>A request for a connection that has to wait gets a timer (the pool's connection timeout, 30
 * s). Under load, with verticles on several event loops sharing the pool, a request can be served
 * before its timer is armed; the timer is then never cancelled, and when it fires the pool tries to
 * fail a request it served long ago: {@code IllegalStateException: Promise already completed} from
 * {@code SqlConnectionPool}. Nothing is lost or late; the request had its connection. Such a timer
 * is counted ({@code baedal_pool_stale_timers_total}) and logged at debug. Every other unhandled
 * exception is logged as an error, as Vert.x does without a handler.
 */
public final class PoolTimerRace implements Handler<Throwable> {
  private static final Logger log = LoggerFactory.getLogger(PoolTimerRace.class);
  private static final String POOL = "io.vertx.sqlclient.impl.pool.SqlConnectionPool";

  private final Counter stale =
      Counter.builder("baedal.pool.stale.timers")
          .description("wait timers of the SQL pool that fired for a request already served")
          .register(Meters.registry());

  /** Handles what {@code vertx} leaves unhandled. */
  public static void install(Vertx vertx) {
    vertx.exceptionHandler(new PoolTimerRace());
  }

  @Override
  public void handle(Throwable error) {
    if (isStaleTimer(error)) {
      stale.increment();
      log.debug(
          "the SQL pool's wait timer fired for a request already served: {}", error.toString());
    } else {
      log.error("Unhandled exception", error);
    }
  }

  /** The pool's wait timer failing a request that was already served. */
  static boolean isStaleTimer(Throwable error) {
    if (!(error instanceof IllegalStateException)) {
      return false;
    }
    StackTraceElement[] stack = error.getStackTrace();
    // Promise.fail, then the pool's timeout handler
    for (int i = 0; i < Math.min(3, stack.length); i++) {
      if (stack[i].getClassName().startsWith(POOL)
          && stack[i].getMethodName().startsWith("lambda$onEnqueue")) {
        return true;
      }
    }
    return false;
  }
}
