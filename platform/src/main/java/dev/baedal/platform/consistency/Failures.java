package dev.baedal.platform.consistency;

import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Tells weather from poison: a failure that may pass (PostgreSQL or Kafka unreachable, restarting
 * or overloaded, a deadlock, a timeout) from one that handling the same record again will repeat
 * (the record is invalid for good).
 */
public final class Failures {
  private Failures() {}

  /** What to do with a record whose handling failed with {@code error}. */
  public enum Kind {
    /** Try again, as long as it takes; never dead-letter, never move past it. */
    TRANSIENT,
    /** The event is about something this context does not know yet: wait, for a bounded time. */
    NOT_YET,
    /** Invalid for good: a few quick retries, then the dead-letter queue. */
    POISON
  }

  public static Kind of(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (NotYetException.is(t)) {
        return Kind.NOT_YET;
      }
      if (t instanceof PgException pg) {
        return transientState(pg.getSqlState()) ? Kind.TRANSIENT : Kind.POISON;
      }
      if (t instanceof ConnectException
          || t instanceof ClosedChannelException
          || t instanceof TimeoutException
          || t instanceof io.netty.channel.ConnectTimeoutException
          || t instanceof RetriableException
          || t instanceof org.apache.kafka.common.errors.TimeoutException
          || t instanceof ClosedConnectionException) {
        return Kind.TRANSIENT;
      }
      if (t instanceof VertxException v && transientMessage(v.getMessage())) {
        return Kind.TRANSIENT;
      }
    }
    return Kind.POISON;
  }

  /**
   * SQLSTATE classes that pass: 08 connection, 40 rollback (serialization, deadlock), 53 resources,
   * 55 object in use (lock not available), 57 operator intervention (shutdown, a statement
   * timeout), 58 system error.
   */
  private static boolean transientState(String state) {
    if (state == null || state.length() < 2) {
      return true;
    }
    return switch (state.substring(0, 2)) {
      case "08", "40", "53", "55", "57", "58" -> true;
      default -> false;
    };
  }

  private static boolean transientMessage(String message) {
    if (message == null) {
      return false;
    }
    String m = message.toLowerCase();
    return m.contains("connection")
        || m.contains("closed")
        || m.contains("timeout")
        || m.contains("timed out")
        || m.contains("pool");
  }
}
